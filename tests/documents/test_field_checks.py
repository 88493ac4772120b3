"""Declared fields on every vendor example: which values pass, which leave which issue.

The expectations are read from the example data by hand (not from the code's output):

* ``idcard.front``: the number 200825199103112345 has a wrong check digit (7 is right), an
  unknown region (200825) and encodes 1991-03-11 while the card says 1991-03-16;
* ``vlcard``: the VIN is masked to 16 characters, the dates are a lone full-width ２;
* ``dlcard``: the ID number is masked (*****);
* ``vat``: the taxpayer numbers are masked (*); amount + tax = total and tax = 17 % agree;
* ``bl``: the number 12345678\\12345678 is no credit code; the term 2015年12月25日至年 has
  no end date;
* ``pcn``: the second MRZ line has 46 characters (a passport's has 44) and the number
  E123456789 one digit too many;
* ``hkidcard``: M12345(1) has five digits, not six;
* ``ab``: the amount in words 叁壹陆壹陆 is numerals without units;
* ``vsi``: the buyer's number 513022197512000000 has day 00, and the VIN's check character
  is 2 where the others give 9; total in words, figures, price + VAT and the VAT rate agree;
* ``hm2``: the permit number has 9 digits (8 or 10), the issue date is 2002-00-04;
* ``idcard.back``, ``pid`` (its MRZ's check digits and its agreement with the printed number,
  birth and expiry dates included), ``bankcard`` (Luhn), ``bizcard``: no issue.
"""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from importlib import resources

import pytest
from pytest_httpserver import HTTPServer

from lingyun.cli import main
from lingyun.errors import UsageError
from lingyun.fields import Issue, Period
from lingyun.results import Result

from ..conftest import APP_KEY, SECRET_DEV_KEY
from .conftest import example

D = datetime.date

EXPECTED_ISSUES: dict[str, list[tuple[str, str]]] = {
    "idcard.front": [("id_number", "cn.ric"), ("id_number", "cn.ric"),
                     ("id_number", "cn.ric.birth_date")],
    "idcard.back": [],
    "vlcard": [("vin", "vin"), ("register_date", "date"), ("issue_date", "date")],
    "dlcard": [("id_number", "cn.ric")],
    "vat": [("buyer_tax_id", "cn.tax_id"), ("seller_tax_id", "cn.tax_id")],
    "bl": [("registration_number", "cn.registration_number"), ("business_term", "period")],
    "pid": [],
    "pcn": [("mrz2", "mrz.td3"), ("passport_number", "pcn.passport_number")],
    "hkidcard": [("id_number", "hk.hkid")],
    "ab": [("amount_in_words", "money_words")],
    "vsi": [("buyer.buyer_id_number", "vsi.buyer_id"), ("vin", "vin")],
    "hm2": [("permit_number", "hm2.permit_number"), ("issue_date", "date"),
            ("valid_period", "period")],
    "bankcard": [],
    "bizcard": [],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_ISSUES))
def test_issues_on_every_vendor_example(parse, name: str) -> None:
    result = parse(name, example(name))
    assert [(i.field, i.check) for i in result.issues] == EXPECTED_ISSUES[name]
    for issue in result.issues:
        assert issue.message and issue.field in str(issue)


def test_idcard_front_messages(parse) -> None:
    card = parse("idcard.front", example("idcard.front"))
    assert card["id_number"].issues == [
        Issue("id_number", "cn.ric", "check digit is 5, the other digits give 7"),
        Issue("id_number", "cn.ric", "region code 200825 is unknown"),
        Issue("id_number", "cn.ric.birth_date",
              "the number gives birth date 1991-03-11, birth_date says 1991-03-16"),
    ]
    assert card["sex"].normalized == "F"    # digit 17 is 4: female, as printed
    assert card["birth_date"].normalized == D(1991, 3, 16)
    assert [c.normalized for c in card["birth_date"].children] == [1991, 3, 16]
    assert card["photo"].normalized is None and card["photo"].issues == []


NORMALIZED = {
    "idcard.back": {"valid_period": Period(D(2008, 8, 20), D(2018, 8, 20))},
    "vlcard": {"plate_number": "UE******", "vin": "LSVAA***********"},
    "dlcard": {"valid_from": D(2012, 11, 15), "sex": "M", "vehicle_class": "C1"},
    "vat": {"date": D(2013, 7, 3), "tax_rate": Decimal("0.17"), "amount": Decimal("67628.00"),
            "tax": Decimal("11496.76"), "total": Decimal("79124.76")},
    "bl": {"registered_capital": Decimal("1000000"), "established_date": D(2015, 12, 25),
           "business_term": None},
    "pid": {"birth_date": D(1981, 8, 3), "document_number": "C00000000",
            "valid_period": Period(D(2014, 4, 2), D(2024, 4, 1))},
    "pcn": {"sex": "F", "birth_date": D(1985, 12, 9), "issue_date": D(2014, 9, 1),
            "expiry_date": D(2024, 8, 31), "nationality_code": "CHN"},
    "hkidcard": {"birth_date": D(1990, 6, 14), "issue_date": D(2017, 7, 15), "sex": "F"},
    "ab": {"issue_date": D(2015, 10, 30), "due_date": D(2016, 2, 28),
           "amount": Decimal("201508.66"), "amount_in_words": None, "agreement_number": "WWJ"},
    "vsi": {"total": Decimal("230000.00"), "total_in_words": Decimal("230000"),
            "vat": Decimal("33418.80"), "vat_rate": Decimal("0.17"),
            "price_excluding_tax": Decimal("196581.20"), "seller_phone": "075786250415",
            "issue_date": D(2014, 11, 1), "seating_capacity": None},
    "hm2": {"birth_date": D(1965, 4, 18), "issue_date": None, "name": "陈 XX"},
}


@pytest.mark.parametrize("name", sorted(NORMALIZED))
def test_normalized_values(parse, name: str) -> None:
    result = parse(name, example(name))
    for key, expected in NORMALIZED[name].items():
        got = result[key].normalized
        assert got == expected and type(got) is type(expected), key


def test_cards_scalars_and_entries(parse) -> None:
    card = parse("bankcard", example("bankcard"))
    assert card.field("number").normalized == "5184763207804055"
    assert card.field("valid_date").raw is None and card.field("valid_date").normalized is None
    biz = parse("bizcard", example("bizcard"))
    assert biz["tel"].normalized == "01012345678" and biz["tel_cell"].normalized == "13800000000"
    assert biz["email"].normalized == "support@xxxx.com"


def test_bank_card_luhn_and_digits_disagreeing(parse) -> None:
    envelope = example("bankcard")
    form = envelope["data"]["forms"]["form"]
    form["CardNumber"] = "5184763207804056"             # last digit misread
    form["CardNumberPos"]["Number"][0]["num"] = "6"     # and a box that says otherwise
    card = parse("bankcard", envelope)
    assert card.issues == [
        Issue("number", "luhn", "'5184763207804056' fails the Luhn check"),
        Issue("number", "bankcard.digits",
              "the per-digit positions read '6184763207804055', the number is "
              "'5184763207804056'"),
    ]


def test_business_card_repeated_items_are_numbered(parse) -> None:
    envelope = example("bizcard")
    cells = envelope["data"]["bizcard"]["cell"]
    cells.append({**cells[5], "id": "11", "result": {"text": "12-34"}})   # a second, bad tel
    card = parse("bizcard", envelope)
    assert card.issues == [Issue("tel[1]", "phone", "'1234' is not a phone number")]


def _cell(fields: list[dict], key: str) -> dict:
    for f in fields:
        if f["key"] == key:
            return f
        found = _cell(f["children"], key) if f["children"] else None
        if found:
            return found
    return {}


def test_to_dict_keeps_normalized_values_and_issues(parse) -> None:
    vsi = parse("vsi", example("vsi"))
    data = json.loads(json.dumps(vsi.to_dict(), ensure_ascii=False))
    total = _cell(data["fields"], "total")
    assert (total["normalized"], total["issues"]) == ({"decimal": "230000.00"}, [])
    assert _cell(data["fields"], "issue_date")["normalized"] == {"date": "2014-11-01"}
    assert _cell(data["fields"], "vin")["issues"] == [
        {"field": "vin", "check": "vin", "message": "check character is 2, expected 9"}]
    assert [i["field"] for i in data["issues"]] == ["buyer.buyer_id_number", "vin"]
    back = Result.from_dict(data)
    assert back == vsi
    assert back.issues == vsi.issues
    assert back["total"].normalized == Decimal("230000.00")
    assert isinstance(back["issue_date"].normalized, datetime.date)


@pytest.mark.parametrize("name", ["idcard.back", "hm2", "bankcard", "bizcard", "pid"])
def test_round_trip_restores_types(parse, name: str) -> None:
    result = parse(name, example(name))
    back = Result.from_dict(json.loads(json.dumps(result.to_dict(), ensure_ascii=False)))
    assert back == result and back.issues == result.issues
    if name == "idcard.back":
        assert back["valid_period"].normalized == Period(D(2008, 8, 20), D(2018, 8, 20))
    if name == "bankcard":
        assert back.field("number").normalized == "5184763207804055"


def test_missing_required_field_is_a_form_issue_and_survives_the_round_trip(parse) -> None:
    envelope = example("idcard.back")
    cells = envelope["data"]["forms"]["form"]["page"]["cell"]
    envelope["data"]["forms"]["form"]["page"]["cell"] = [
        c for c in cells if c["name"] != "签发机关"]
    card = parse("idcard.back", envelope)
    expected = [Issue("issuing_authority", "required",
                      "签发机关 is required; the service did not return it")]
    assert card.issues == card.form_issues == expected
    data = card.to_dict()
    assert data["form_issues"] == [{"field": "issuing_authority", "check": "required",
                                    "message": "签发机关 is required; the service did not "
                                               "return it"}]
    assert Result.from_dict(data).issues == expected


def test_corrupt_normalized_value_in_a_dict_is_a_usage_error(parse) -> None:
    data = parse("idcard.back", example("idcard.back")).to_dict()
    data["fields"][0]["normalized"] = {"bogus": 1}
    with pytest.raises(UsageError, match="unknown normalized value"):
        Result.from_dict(data)


def test_dicts_from_before_declared_fields_still_load(parse) -> None:
    data = parse("idcard.back", example("idcard.back")).to_dict()
    for f in data["fields"]:
        del f["normalized"], f["issues"]
    del data["form_issues"]
    back = Result.from_dict(data)
    assert back.issues == [] and back["valid_period"].value == "20080820-20180820"


def test_types_json_shows_the_fields(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["types", "--format", "json"]) == 0
    entries = {e["name"]: e for e in json.loads(capsys.readouterr().out)}
    id_number = next(f for f in entries["idcard.front"]["fields"] if f["key"] == "id_number")
    assert id_number["name"] == "身份证号码" and id_number["kind"] == "id_number"
    assert id_number["required"] is True
    assert [(c["name"], c["uses"]) for c in id_number["validators"]] == [
        ("cn.ric", []), ("cn.ric.birth_date", ["birth_date"]), ("cn.ric.sex", ["sex"])]
    assert next(f["key"] for f in entries["bankcard"]["fields"]) == "number"
    assert entries["text.chinese"]["fields"] == []
    assert main(["types"]) == 0
    assert "10 (" in capsys.readouterr().out


def test_cli_table_shows_the_issues(
    monkeypatch: pytest.MonkeyPatch, httpserver: HTTPServer, tmp_path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("LINGYUN_APP_KEY", APP_KEY)
    monkeypatch.setenv("LINGYUN_DEV_KEY", SECRET_DEV_KEY)
    monkeypatch.setenv("LINGYUN_ENDPOINT", httpserver.url_for("/ocr"))
    httpserver.expect_request("/ocr").respond_with_data(
        json.dumps(example("vsi"), ensure_ascii=False))
    image = tmp_path / "invoice.png"
    image.write_bytes((resources.files("lingyun") / "samples" / "page.png").read_bytes())
    assert main(["ocr", str(image), "--type", "vsi"]) == 0
    out = capsys.readouterr().out
    table, _, issues = out.partition("\n2 issues:\n")
    assert "vin (车辆识别代号/车架号码)" in table
    lines = issues.splitlines()
    assert lines[0].split() == ["FIELD", "CHECK", "PROBLEM"]
    assert lines[2].split()[:2] == ["vin", "vin"] and "expected 9" in lines[2]
    assert lines[1].startswith("buyer.buyer_id_number  vsi.buyer_id")
