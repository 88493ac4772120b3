"""Every example response in the vendor document parses to the values the document shows."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lingyun.errors import ProtocolError
from lingyun.results import (
    BankCardResult,
    BizCardResult,
    Box,
    Result,
    TemplateResult,
    TextResult,
)

from .conftest import EXAMPLES, example

ALL_EXAMPLES = sorted(p.name.removesuffix(".json") for p in EXAMPLES.iterdir()
                      if p.name.endswith(".json"))


def test_every_capability_with_an_example_is_covered() -> None:
    assert set(ALL_EXAMPLES) == {
        "idcard.front", "idcard.back", "vlcard", "dlcard", "vat", "text.chinese", "bankcard",
        "bizcard", "bl", "pid", "pcn", "hkidcard", "ab", "vsi", "hm2",
    }


def test_idcard_front(parse) -> None:
    card = parse("idcard.front", example("idcard.front"))
    assert isinstance(card, TemplateResult)
    assert (card.form_name, card.form_version, card.page_name) == (
        "二代身份证", "2016-12-21", "个人信息页")
    assert card["name"].value == card["姓名"].value == "陈丹阳"
    assert card["id_number"].value == "200825199103112345"
    assert card["id_number"].box == Box(367, 564, 891, 601)
    assert card["ethnicity"].value == "蒙古" and card["sex"].value == "女"
    birth = card["birth_date"]
    assert birth.value == "19910316"
    assert birth.box is None  # composite cell: "0" coordinates mean no box
    assert [(c.key, c.value) for c in birth.children] == [
        ("birth_year", "1991"), ("birth_month", "03"), ("birth_day", "16")]
    assert birth.children[0].box == Box(209, 265, 280, 293)
    assert card["address"].value == "某某省某某市某某县***************"
    assert [f.id for f in card] == ["0", "1", "2", "3", "4", "5", "6"]


def test_idcard_back(parse) -> None:
    card = parse("idcard.back", example("idcard.back"))
    assert card.page_name == "签发机关页"
    assert card["valid_period"].value == "20080820-20180820"
    assert card["issuing_authority"].value == "**县公安局"


def test_vehicle_licence_full_width_and_no_coordinates(parse) -> None:
    card = parse("vlcard", example("vlcard"))
    assert card["vin"].value == "ＬＳＶＡＡ***********"
    assert card["plate_number"].value == "UＥ******"
    assert all(f.box is None for f in card.walk())


def test_driving_licence(parse) -> None:
    card = parse("dlcard", example("dlcard"))
    assert card["vehicle_class"].value == "C1"
    assert card["valid_from"].value == "２０１２１１１５"


def test_vat_invoice(parse) -> None:
    invoice = parse("vat", example("vat"))
    assert invoice["amount"].value == "￥67628.00"
    assert invoice["tax"].value == "￥11496.76"
    assert invoice["total"].value == "￥79124.76"
    assert invoice["date"].value == "2013年 07月 03日"
    assert invoice["tax_rate"].value == "17%"


def test_text(parse) -> None:
    text = parse("text.chinese", example("text.chinese"))
    assert isinstance(text, TextResult)
    assert text.text == str(text) == "北京捷通华声图像云技冠中华"
    assert text.layout is None and not text.text_mismatch


def test_bankcard(parse) -> None:
    card = parse("bankcard", example("bankcard"))
    assert isinstance(card, BankCardResult)
    assert card.number == "5184763207804055"
    assert "".join(d.char for d in card.digits) == card.number
    assert card.digits[0].box == Box(156, 446, 199, 507)
    assert (card.bank_name, card.bank_id, card.card_name, card.card_type, card.holder) == (
        "中国银行", "1040000", "长城万事达信用卡", "准贷记卡", "CHEN GUO")
    assert card.valid_date is None  # "" in the example


def test_bizcard(parse) -> None:
    card = parse("bizcard", example("bizcard"))
    assert isinstance(card, BizCardResult)
    assert card["name"].text == "王某某"
    assert card["name"].confidence.value == pytest.approx(0.65)
    assert card["name"].box == Box(649, 126, 827, 194)
    assert card["department"].name == "部门"
    assert card["tel"].text == "010-12345678"
    assert [e.item for e in card][-3:] == ["tel_cell", "email", "url"]
    assert card["adr"].text == "北京市朝阳区北辰西路 x 号北辰世纪中心 A 座 6 层"
    assert card.get("fax") is card.all("fax")[0] and card.get("nothing") is None
    # The document's image is a truncated excerpt: the fields survive, the image says why.
    assert "not valid base64" in card.image_error
    with pytest.raises(ProtocolError, match="image: not valid base64"):
        card.image  # noqa: B018 -- the property read is the behaviour under test


def test_business_licence_cells_without_result(parse) -> None:
    licence = parse("bl", example("bl"))
    assert licence["reserved"].value is None and licence["company_name"].value is None
    assert licence["registered_capital"].value == "壹佰万元整"
    conf = licence["registered_capital"].confidence
    assert (conf.value, conf.raw, conf.scale) == (1.0, "65280", 65280)


def test_travel_permit_warns_deprecated(parse) -> None:
    permit = parse("pid", example("pid"))
    assert permit["mrz"].value == "CSC000000004<2404015<8108038<6"
    assert permit["sex"].confidence.value == pytest.approx(27472 / 65280)
    from lingyun.plugins import get_plugin_manager

    with pytest.warns(DeprecationWarning, match="pid"):
        get_plugin_manager().document_type("pid").build_task_config()


def test_passport(parse) -> None:
    passport = parse("pcn", example("pcn"))
    assert passport["passport_number"].value == "E123456789"
    assert passport["birth_date"].value == "09 DEC 1985"
    assert passport["issue_date"].value == "01 09月/SEP 2014"
    assert passport["mrz1"].value.startswith("POCHNZHANG<<YI<<")


def test_hong_kong_id_confidence_percent(parse) -> None:
    card = parse("hkidcard", example("hkidcard"))
    assert card["id_number"].value == "M12345(1)"
    assert card["birth_date"].value == "14-06-1990"
    assert card["name_en"].confidence.value == pytest.approx(0.42)
    assert card["name_en"].confidence.scale == 100


def test_acceptance_bill_names_with_separators(parse) -> None:
    bill = parse("ab", example("ab"))
    assert bill["承兑协议编号|交易合同号码"].value == bill["agreement_number"].value == "wWJ"
    assert bill["issue_date"].value == "贰零壹伍年壹拾月零叁拾日"
    assert [c.value for c in bill["issue_date"].children] == ["贰零壹伍", "壹拾", "零叁拾"]


def test_vehicle_sales_invoice_nested_cells(parse) -> None:
    invoice = parse("vsi", example("vsi"))
    buyer = invoice["buyer"]
    assert buyer.value is None and buyer.box is None
    assert [(c.key, c.value) for c in buyer.children] == [
        ("buyer_name", "王含东"), ("buyer_id_number", "513022197512000000")]
    assert invoice["certificate_number"].value is None
    assert invoice["total_in_words"].value == "贰拾叁万元整"
    assert invoice["tax_authority"].children[1].value == "10"
    assert invoice["seating_capacity"].value == ""


def test_home_return_permit(parse) -> None:
    permit = parse("hm2", example("hm2"))
    assert permit.form_name == "1999版个人信息页"
    assert permit["permit_number"].value == "H123456789"
    assert permit["valid_period"].value == "20020004-20190604"


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_round_trip_through_json(parse, name: str) -> None:
    result = parse(name, example(name))
    restored = Result.from_dict(json.loads(json.dumps(result.to_dict(), ensure_ascii=False)))
    assert type(restored) is type(result)
    assert restored == result
    assert restored.raw == example(name)
    assert result.rows()  # every result renders as a table


def test_examples_readme_lists_every_file_and_every_file_is_a_type() -> None:
    from lingyun.plugins import get_plugin_manager

    # Read from the source tree: the README is not package data (wheels ship the JSON only).
    readme = (Path(__file__).resolve().parents[2] / "src" / "lingyun" / "service" / "examples"
              / "README.md").read_text(encoding="utf-8")
    registered = {d.name for d in get_plugin_manager().document_types()}
    for name in ALL_EXAMPLES:
        assert f"`{name}.json`" in readme
        assert name in registered
