"""The vendor's JSON shapes (SPEC §4), built from what a recognizer found.

Recognizers answer exactly what the hosted service would put under ``data``, every leaf a
string, so the client's parsers (:mod:`lingyun.results`) read a local answer and a hosted
one alike.  A field the recognizer did not find is left out: no empty placeholder poses as
a reading.
"""

from __future__ import annotations

from typing import Any

from .page import Box

__all__ = ["LOCAL_VERSION", "box_members", "template_cell", "template_data"]

#: ``form.ver`` of every local answer: says which recognizer read it, not the vendor's template.
LOCAL_VERSION = "lingyun-local-1"


def box_members(box: Box) -> dict[str, str]:
    """``{"left": "12", "top": …}``: a box as the vendor writes it (numbers as strings)."""
    return dict(zip(("left", "top", "right", "bottom"), (str(v) for v in box), strict=True))


def template_cell(cell_id: str, name: str, value: str, box: Box | None,
                  children: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One template cell; a composite cell (``box=None``) gets the vendor's all-``"0"`` box."""
    where = box_members(box) if box is not None else box_members((0, 0, 0, 0))
    cell: dict[str, Any] = {"id": cell_id, "name": name, "result": {"result": value, **where}}
    if children:
        cell["cell"] = children
    return cell


def template_data(form: tuple[str, str], page: tuple[str, str],
                  cells: list[dict[str, Any]]) -> dict[str, Any]:
    """``{"forms": {"form": {id, name, ver, page: {id, name, cell}}}}``."""
    return {"forms": {"form": {
        "id": form[0], "name": form[1], "ver": LOCAL_VERSION,
        "page": {"id": page[0], "name": page[1], "cell": cells},
    }}}
