"""The result objects' own contract: lookups, repeated items, positions, JSON form, reprs."""

from __future__ import annotations

import copy
import json
import struct
from typing import Any

import pytest

from lingyun.errors import ProtocolError, UsageError
from lingyun.plugins import get_plugin_manager
from lingyun.results import Result, TemplateResult

from .conftest import example, reply_for
from .test_vendor_examples import ALL_EXAMPLES


def test_template_lookup_by_name_key_and_default(parse) -> None:
    card = parse("idcard.front", example("idcard.front"))
    assert card.get("birth_month") is card["月"] is card["birth_date"].children[1]
    assert "姓名" in card and "name" in card and "nickname" not in card and 3 not in card
    assert card.get("nickname") is None
    with pytest.raises(KeyError, match="nickname"):
        card["nickname"]
    assert [f.key for f in card.walk()][3:8] == [
        "sex", "birth_date", "birth_year", "birth_month", "birth_day"]
    assert len(card) == len(card.fields) == 7


def test_template_values_prefer_english_keys(parse) -> None:
    values = parse("idcard.front", example("idcard.front")).values()
    assert values["name"] == "陈丹阳" and values["birth_date"] == "19910316"
    assert values["birth_year"] == "1991" and values["photo"] == " "
    masked = parse("dlcard", example("dlcard")).values()
    assert "**" in masked  # a masked field name has no key and is listed under its name


def test_every_example_field_has_a_stable_english_key(parse) -> None:
    for name in ALL_EXAMPLES:
        result = parse(name, example(name))
        if not isinstance(result, TemplateResult):
            continue
        keys = [f.key for f in result.walk() if f.name != "**"]
        assert None not in keys, name
        assert len(keys) == len(set(keys)), name
        assert all(k.isascii() and k.islower() and " " not in k for k in keys), name


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_to_dict_is_json_without_the_reply(parse, name: str) -> None:
    result = parse(name, example(name))
    assert result.reply is not None
    data = result.to_dict()
    assert data["kind"] == result.kind and data["document_type"] == name
    assert "reply" not in data
    restored = Result.from_dict(json.loads(json.dumps(data)))
    assert restored.reply is None and restored == result
    assert repr(result).startswith(f"<{type(result).__name__} {name}") and len(repr(result)) < 100


@pytest.mark.parametrize(
    "data",
    [None, [], {"kind": "nope"}, {"kind": "template", "document_type": "x"},
     {"kind": "text", "document_type": "t", "text": "a", "raw": {}, "positions": "!!"}],
)
def test_from_dict_refuses_what_to_dict_never_made(data: Any) -> None:
    with pytest.raises(UsageError, match="result dict"):
        Result.from_dict(data)


@pytest.mark.parametrize(
    ("value", "field"),
    [("1_000", "left"), ("１２", "top"), ("nan", "right"), ("inf", "bottom"), ("1.5", "left"),
     ("0x10", "top"), ("12px", "right"), ("9" * 5000, "bottom")],
)
def test_coordinates_parse_strictly(parse, value: str, field: str) -> None:
    result = {"result": "x", "left": "1", "top": "2", "right": "3", "bottom": "4", field: value}
    envelope = {"error": 0, "data": {"forms": {"form": {"page": {
        "cell": [{"id": "0", "name": "姓名", "cell": [{"id": "1", "result": result}]}]}}}}}
    with pytest.raises(ProtocolError) as info:
        parse("idcard.front", envelope)
    message = str(info.value)
    assert f"data.forms.form.page.cell[0].cell[0].result.{field}: expected an integer" in message
    assert repr(value)[:30] in message


@pytest.mark.parametrize("value", ["nan", "high", "1e400", "５０", "1" * 400])
def test_confidence_parses_strictly(parse, value: str) -> None:
    envelope = copy.deepcopy(example("hkidcard"))
    envelope["data"]["forms"]["form"]["page"]["cell"][2]["result"]["confidence"] = value
    with pytest.raises(ProtocolError, match=r"cell\[2\]\.result\.confidence: expected a number"):
        parse("hkidcard", envelope)


def test_confidence_keeps_raw_and_scale_and_stays_in_range(parse) -> None:
    passport = parse("pcn", example("pcn"))
    for field in passport.walk():
        if field.confidence is not None:
            conf = field.confidence
            assert conf.scale == 65280 and 0.0 <= conf.value <= 1.0
            assert conf.value == pytest.approx(float(conf.raw) / 65280)


def test_bizcard_items_can_repeat(parse) -> None:
    envelope = copy.deepcopy(example("bizcard"))
    cells = envelope["data"]["bizcard"]["cell"]
    second = copy.deepcopy(next(c for c in cells if c["item"] == "tel"))
    second["result"]["text"] = "010-87654321"
    cells.append(second)
    del envelope["image"]
    card = parse("bizcard", envelope)
    assert [e.text for e in card.all("tel")] == ["010-12345678", "010-87654321"]
    assert card["tel"].text == "010-12345678"
    assert card.image is None and card.image_error is None


def test_bizcard_corrupt_image_round_trips_with_its_error(parse) -> None:
    card = parse("bizcard", example("bizcard"))
    restored = Result.from_dict(json.loads(json.dumps(card.to_dict())))
    assert restored.image_error == card.image_error
    with pytest.raises(ProtocolError):
        restored.image  # noqa: B018
    assert "image=<corrupt>" in repr(card)


def _node(node_type: int, payload: bytes) -> bytes:
    return struct.pack("<H2x", node_type) + payload.ljust(44, b"\0")


def _positions(text: str) -> bytes:
    """A one-line position stream (SPEC §5 layout) spelling ``text``."""
    rect = struct.pack("<4i", 0, 0, 10, 10)
    nodes = [_node(0, struct.pack("<3i", 100, 50, 0)), _node(1, rect + struct.pack("<2H", 0, 0)),
             _node(3, struct.pack("<4H", 0, 10, 10, 10))]
    for ch in text:
        nodes.append(_node(4, struct.pack("<2H", ord(ch), 0) + rect + struct.pack("<i", 0)
                           + b"\0" * 4 + struct.pack("<5H", ord(ch), 0, 0, 0, 0)
                           + bytes([0, 255, 255, 255, 255, 0])))
    return b"".join(nodes)


@pytest.mark.parametrize(("layout_text", "mismatch"), [("灵云", False), ("灵去", True)])
def test_text_positions_are_decoded_and_a_mismatch_is_visible(
    layout_text: str, mismatch: bool
) -> None:
    pytest.importorskip("lingyun.iread")
    envelope = {"error": 0, "text": "请求成功", "data": {"forms": {"form": "灵云"}}}
    doc = get_plugin_manager().document_type("text.chinese")
    result = doc.parse(reply_for(envelope, positions=_positions(layout_text)))
    assert result.layout is not None and result.layout_text == layout_text
    assert result.text == "灵云" and result.text_mismatch is mismatch
    data = result.to_dict()
    assert (data["layout_text"], data["text_mismatch"]) == (layout_text, mismatch)
    restored = Result.from_dict(json.loads(json.dumps(data)))
    # Against values written here, not against to_dict() itself:
    assert restored.text == "灵云" and restored.layout_text == layout_text
    assert restored.positions == _positions(layout_text)
    assert list(restored.layout.chars["text"]) == list(layout_text)
    assert restored.layout.chars[["left", "top", "right", "bottom"]].tolist() == [
        (0, 0, 10, 10)] * len(layout_text)
    assert restored.text_mismatch is mismatch and restored.replayed is None


def test_confidence_without_a_declared_scale_is_kept_raw(parse) -> None:
    envelope = copy.deepcopy(example("idcard.front"))
    envelope["data"]["forms"]["form"]["page"]["cell"][2]["result"]["confidence"] = "77"
    field = parse("idcard.front", envelope)["name"]
    assert tuple(field.confidence) == (None, "77", None)
    assert str(field.confidence) == "77"


def test_absurdly_deep_cells_are_a_protocol_error(parse) -> None:
    cell: dict[str, Any] = {"id": "0", "name": "x"}
    for _ in range(200):
        cell = {"id": "0", "name": "x", "cell": [cell]}
    envelope = {"error": 0, "data": {"forms": {"form": {"page": {"cell": [cell]}}}}}
    with pytest.raises(ProtocolError, match="nested deeper than 32 levels"):
        parse("vsi", envelope)


@pytest.mark.parametrize("name", sorted(ALL_EXAMPLES))
def test_equality_compares_members_not_their_json(parse, name: str) -> None:
    result = parse(name, example(name))
    rebuilt = Result.from_dict(result.to_dict())
    assert rebuilt == result and rebuilt.reply is None  # the reply is not compared
    # A member that to_dict() never writes still makes two results differ.
    rebuilt.forgotten_by_to_dict = 1
    assert rebuilt.to_dict() == result.to_dict() and rebuilt != result
    rebuilt = Result.from_dict(result.to_dict())
    rebuilt.raw = {**rebuilt.raw, "extra": True}
    assert rebuilt != result
    assert result != result.to_dict()  # another type is never equal
