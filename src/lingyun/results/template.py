"""Template documents (ID cards, licences, invoices, ...): a form with a tree of fields.

``data.forms.form = {id, name, ver, page: {id, name, cell: [...]}}``; a cell is
``{id, name, result?, cell?}`` and its result ``{result, left?, top?, right?, bottom?,
confidence?}`` (SPEC §4).  Everything the service is known to do is accepted: a missing
result (value ``None``), missing coordinates (box ``None``), all-``"0"`` coordinates on a
composite cell such as the ID card's birth date (box ``None`` -- a zero box is no place),
sub-cells with or without an own result, numbers as strings, empty strings, a single cell
given as an object instead of a one-element list.  Numbers are read strictly (ASCII digits;
``"1_000"``, ``"nan"`` or full-width digits in a coordinate are a ProtocolError naming the
field's path).  Confidences are normalized with the scale the document type declares.

The document type's declared fields (:class:`lingyun.fields.Field`) give each recognized
field its English ``key``, a ``normalized`` value and its ``issues``; ``result.issues``
gathers them, with the issues of required fields the reply did not contain.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..errors import ProtocolError
from ..fields import Field as Declared
from ..fields import Issue, Occurrence, codec, evaluate
from ._payload import as_list, member, object_at, optional_box, optional_number, optional_text
from .base import Box, Confidence, Result

if TYPE_CHECKING:
    from ..protocol import Reply

__all__ = ["Field", "TemplateResult", "parse_template"]


@dataclass
class Field:
    """One cell of a template: its value, where it is, how sure the service is, sub-fields.

    ``value`` is the text exactly as the service sent it; ``normalized`` the value read by the
    declared kind (``datetime.date``, ``decimal.Decimal``, a compacted ``str``; ``None`` when
    empty or unreadable) and ``issues`` the checks it failed.
    """

    id: str
    name: str
    key: str | None = None
    value: str | None = None
    box: Box | None = None
    confidence: Confidence | None = None
    children: list[Field] = field(default_factory=list)
    normalized: Any = None
    issues: list[Issue] = field(default_factory=list)

    @property
    def raw(self) -> str | None:
        """The value as received (the same as :attr:`value`)."""
        return self.value

    def __repr__(self) -> str:
        label = f"{self.key} ({self.name})" if self.key else self.name
        extra = f" children={len(self.children)}" if self.children else ""
        if self.issues:
            extra += f" issues={len(self.issues)}"
        return f"<Field {self.id} {label}={self.value!r}{extra}>"

    def walk(self) -> Iterator[Field]:
        """This field, then its descendants, depth first in document order."""
        yield self
        for child in self.children:
            yield from child.walk()

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "name": self.name,
            "key": self.key,
            "value": self.value,
            "box": list(self.box) if self.box else None,
            "confidence": self.confidence._asdict() if self.confidence else None,
            "children": [c.to_dict() for c in self.children],
            "normalized": codec.encode(self.normalized),
            "issues": [i.to_dict() for i in self.issues],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Field:
        return cls(
            id=data["id"],
            name=data["name"],
            key=data["key"],
            value=data["value"],
            box=Box(*data["box"]) if data["box"] else None,
            confidence=Confidence(**data["confidence"]) if data["confidence"] else None,
            children=[cls.from_dict(c) for c in data["children"]],
            normalized=codec.decode(data.get("normalized")),
            issues=[Issue.from_dict(i) for i in data.get("issues", [])],
        )


class TemplateResult(Result):
    """A recognized template document.

    ``result["姓名"]`` and ``result["name"]`` find the same field (service name or the
    document type's English key), searching the whole tree; iteration yields the top-level
    fields in document order, :meth:`walk` every field.
    """

    kind = "template"

    def __init__(
        self,
        document_type: str,
        *,
        form_id: str | None,
        form_name: str | None,
        form_version: str | None,
        page_id: str | None,
        page_name: str | None,
        fields: list[Field],
        raw: dict[str, Any],
        reply: Reply | None = None,
        form_issues: list[Issue] | None = None,
    ) -> None:
        self.document_type = document_type
        self.form_id = form_id
        self.form_name = form_name
        self.form_version = form_version
        self.page_id = page_id
        self.page_name = page_name
        self.fields = fields
        self.raw = raw
        self.reply = reply
        #: Issues that belong to no recognized field (a required field the reply lacks).
        self.form_issues = list(form_issues or [])

    @property
    def issues(self) -> list[Issue]:
        """Every failed check: each field's, in document order, then the form's."""
        return [i for f in self.walk() for i in f.issues] + self.form_issues

    def walk(self) -> Iterator[Field]:
        for top in self.fields:
            yield from top.walk()

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def get(self, name: str, default: Field | None = None) -> Field | None:
        """The first field (depth first) whose English key or service name is ``name``."""
        for f in self.walk():
            if f.key == name or f.name == name:
                return f
        return default

    def __getitem__(self, name: str) -> Field:
        found = self.get(name)
        if found is None:
            known = [f.key or f.name for f in self.walk()]
            raise KeyError(f"{self.document_type} has no field {name!r}; fields: {known}")
        return found

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and self.get(name) is not None

    def values(self) -> dict[str, str | None]:
        """``{key or name: value}`` over every field that has a value or no children."""
        return {
            (f.key or f.name): f.value for f in self.walk() if f.value is not None or not f.children
        }

    def rows(self) -> list[tuple[str, str, str]]:
        rows = []
        for top in self.fields:
            for depth, f in _walk_depth(top, 0):
                label = "  " * depth + (f"{f.key} ({f.name})" if f.key else f.name)
                detail = str(f.confidence) if f.confidence else ""
                rows.append((label, f.value if f.value is not None else "", detail))
        return rows

    def _payload_dict(self) -> dict[str, Any]:
        return {
            "form": {"id": self.form_id, "name": self.form_name, "version": self.form_version},
            "page": {"id": self.page_id, "name": self.page_name},
            "fields": [f.to_dict() for f in self.fields],
            "form_issues": [i.to_dict() for i in self.form_issues],
        }

    @classmethod
    def _from_payload(cls, data: dict[str, Any]) -> TemplateResult:
        return cls(
            data["document_type"],
            form_id=data["form"]["id"],
            form_name=data["form"]["name"],
            form_version=data["form"]["version"],
            page_id=data["page"]["id"],
            page_name=data["page"]["name"],
            fields=[Field.from_dict(f) for f in data["fields"]],
            raw=data["raw"],
            form_issues=[Issue.from_dict(i) for i in data.get("form_issues", [])],
        )

    def __repr__(self) -> str:
        return (
            f"<TemplateResult {self.document_type} form={self.form_name!r} "
            f"fields={sum(1 for _ in self.walk())}>"
        )


def _walk_depth(f: Field, depth: int) -> Iterator[tuple[int, Field]]:
    yield depth, f
    for child in f.children:
        yield from _walk_depth(child, depth + 1)


def _box(result: dict[str, Any], path: str) -> Box | None:
    box = optional_box(result, path)
    if box is not None and not any(box):
        return None  # composite cells report "0" everywhere: there is no box
    return box


def _confidence(result: dict[str, Any], path: str, scale: int | None) -> Confidence | None:
    number = optional_number(result, "confidence", path)
    if number is None:
        return None
    return Confidence.from_raw(number, scale)


#: Cells nest two levels in every vendor example; far deeper is a broken or hostile reply.
MAX_CELL_DEPTH = 32


def _field(
    cell: Any, path: str, keys: dict[str, str], scale: int | None, depth: int = 0
) -> Field:
    if depth >= MAX_CELL_DEPTH:
        raise ProtocolError(f"{path}: cells nested deeper than {MAX_CELL_DEPTH} levels")
    cell = object_at(cell, path)
    name = optional_text(cell, "name", path) or ""
    value = box = confidence = None
    if cell.get("result") is not None:
        result_path = f"{path}.result"
        result = object_at(cell["result"], result_path)
        value = optional_text(result, "result", result_path)
        box = _box(result, result_path)
        confidence = _confidence(result, result_path, scale)
    children = [
        _field(child, f"{path}.cell[{i}]", keys, scale, depth + 1)
        for i, child in enumerate(as_list(cell.get("cell"), f"{path}.cell"))
    ]
    return Field(
        id=optional_text(cell, "id", path) or "",
        name=name,
        key=keys.get(name),
        value=value,
        box=box,
        confidence=confidence,
        children=children,
    )


def field_path(parents: Sequence[Field], f: Field) -> str:
    """A field's path for issues: keys (names where there is no key) joined by ``.``."""
    return ".".join(p.key or p.name for p in (*parents, f))


def _occurrences(
    fields: Sequence[Field], parents: tuple[Field, ...] = ()
) -> Iterator[tuple[Field, Occurrence]]:
    for f in fields:
        yield f, Occurrence(f.key, field_path(parents, f), f.value)
        yield from _occurrences(f.children, (*parents, f))


def check_template_fields(fields: Sequence[Field], declared: Sequence[Declared]) -> list[Issue]:
    """Fill in ``normalized`` and ``issues`` of every field; return the form-level issues."""
    pairs = list(_occurrences(fields))
    checked, missing = evaluate(declared, [occurrence for _, occurrence in pairs])
    for (f, _), verdict in zip(pairs, checked, strict=True):
        f.normalized, f.issues = verdict.normalized, verdict.issues
    return missing


def parse_template(
    reply: Reply,
    document_type: str,
    fields: Sequence[Declared] = (),
    confidence_scale: int | None = None,
) -> TemplateResult:
    """Parse ``reply.data`` as a template form; ProtocolError (with a path) if it is not one.

    ``fields`` are the document type's declarations: they give the keys, and every field is
    normalized and checked against them (a bad value is an issue, never an exception).
    """
    keys = {f.name: f.key for f in fields}
    data = object_at(reply.data, "data")
    forms = object_at(member(data, "forms", "data"), "data.forms")
    form = object_at(member(forms, "form", "data.forms"), "data.forms.form")
    page = object_at(member(form, "page", "data.forms.form"), "data.forms.form.page")
    base = "data.forms.form.page"
    cells = as_list(page.get("cell"), f"{base}.cell")
    parsed = [_field(c, f"{base}.cell[{i}]", keys, confidence_scale) for i, c in enumerate(cells)]
    return TemplateResult(
        document_type,
        form_id=optional_text(form, "id", "data.forms.form"),
        form_name=optional_text(form, "name", "data.forms.form"),
        form_version=optional_text(form, "ver", "data.forms.form"),
        page_id=optional_text(page, "id", base),
        page_name=optional_text(page, "name", base),
        fields=parsed,
        raw=reply.envelope,
        reply=reply,
        form_issues=check_template_fields(parsed, fields),
    )
