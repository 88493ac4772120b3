"""Everything SPEC §4 says can happen parses; structurally wrong payloads are ProtocolErrors."""

from __future__ import annotations

import base64
import copy
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.errors import ProtocolError
from lingyun.results import Result

from .conftest import example


def _ok(data: Any) -> dict[str, Any]:
    return {"error": 0, "text": "请求成功", "data": data}


def _form(cells: Any) -> dict[str, Any]:
    return _ok({"forms": {"form": {"id": "0", "name": "F", "ver": "1",
                                   "page": {"id": "0", "name": "P", "cell": cells}}}})


def test_tolerated_shapes(parse) -> None:
    result = parse("hkidcard", _form({  # a single cell as an object, not a list
        "id": 7, "name": "姓名",        # a number where a string is usual
        "result": {"result": "", "left": "1", "top": "2", "right": "3", "bottom": "4.0",
                   "confidence": "50"},
        "cell": [{"id": "70", "name": "子"}],   # a sub-cell with no result
    }))
    field = result["name"]
    assert (field.id, field.value, tuple(field.box)) == ("7", "", (1, 2, 3, 4))
    assert field.confidence.value == 0.5
    assert field.children[0].value is None and field.children[0].box is None


def test_page_without_cells_is_empty(parse) -> None:
    assert len(parse("idcard.front", _form(None))) == 0


def test_missing_coordinates_mean_no_box(parse) -> None:
    result = parse("idcard.front", _form([{"id": "2", "name": "姓名",
                                           "result": {"result": "张三", "left": "5"}}]))
    assert result["name"].box is None and result["name"].value == "张三"


@pytest.mark.parametrize(
    ("document_type", "envelope", "where"),
    [
        ("idcard.front", {"error": 0}, "data: expected an object"),
        ("idcard.front", _ok({}), "data: missing member 'forms'"),
        ("idcard.front", _ok({"forms": {"form": []}}), "data.forms.form: expected an object"),
        ("idcard.front", _ok({"forms": {"form": {"id": "0"}}}), "missing member 'page'"),
        ("idcard.front", _form("cells"), "data.forms.form.page.cell: expected an array"),
        ("idcard.front", _form([{"id": "0", "result": {"result": "x", "left": "abc",
                                                       "top": "1", "right": "2", "bottom": "3"}}]),
         "data.forms.form.page.cell[0].result.left: expected an integer, found 'abc'"),
        ("idcard.front", _form([{"id": "0", "cell": [{"id": "1", "result": [1]}]}]),
         "data.forms.form.page.cell[0].cell[0].result: expected an object"),
        ("hkidcard", _form([{"id": "0", "result": {"result": "x", "confidence": "high"}}]),
         "cell[0].result.confidence: expected a number"),
        ("idcard.front", _form([{"id": "0", "result": {"result": {"a": 1}}}]),
         "cell[0].result.result: expected a string"),
        ("text.chinese", _ok({"forms": {"form": ["a"]}}), "data.forms.form: expected"),
        ("bankcard", _ok({"forms": {"form": {"CardNumberPos": {"Number": [{"left": "1"}]}}}}),
         "CardNumberPos.Number[0]: missing member 'num'"),
        ("bizcard", _ok({"bizcard": {"cell": [{"id": "0", "bound": "here"}]}}),
         "data.bizcard.cell[0].bound: expected an object"),
        ("bizcard", _ok({"cards": []}), "data: missing member 'bizcard'"),
    ],
)
def test_wrong_shapes_name_the_path(
    parse, document_type: str, envelope: dict[str, Any], where: str
) -> None:
    with pytest.raises(ProtocolError) as info:
        parse(document_type, envelope)
    assert where in str(info.value)


def test_bizcard_image_is_decoded(parse) -> None:
    envelope = copy.deepcopy(example("bizcard"))
    envelope["image"] = base64.b64encode(b"\x89PNG\r\n image bytes").decode()
    card = parse("bizcard", envelope)
    assert card.image == b"\x89PNG\r\n image bytes" and card.image_error is None
    restored = Result.from_dict(json.loads(json.dumps(card.to_dict())))
    assert restored.image == card.image


# --- property-based: any well-formed template tree parses and round-trips -------------------

numeric = st.integers(min_value=0, max_value=10**6).map(str)
leaf = st.fixed_dictionaries(
    {"result": st.text(max_size=12)},
    optional={"left": numeric, "top": numeric, "right": numeric, "bottom": numeric,
              "confidence": st.integers(min_value=0, max_value=100).map(str)},
)
cell = st.recursive(
    st.fixed_dictionaries({"id": numeric, "name": st.text(max_size=8)},
                          optional={"result": leaf}),
    lambda children: st.fixed_dictionaries(
        {"id": numeric, "name": st.text(max_size=8), "cell": st.lists(children, max_size=3)},
        optional={"result": leaf}),
    max_leaves=12,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(cell, max_size=6))
def test_any_template_tree_parses_and_round_trips(parse, cells: list[dict[str, Any]]) -> None:
    result = parse("hkidcard", _form(cells))
    flat = list(result.walk())

    def count(cs: list[dict[str, Any]]) -> int:
        return sum(1 + count(c.get("cell", [])) for c in cs)

    assert len(flat) == count(cells)
    assert all(f.confidence is None or 0.0 <= f.confidence.value <= 1.0 for f in flat)
    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result
