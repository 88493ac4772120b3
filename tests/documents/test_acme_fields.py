"""The example third-party plugin declares fields with lingyun's validators and its own."""

from __future__ import annotations

import datetime
import importlib.util
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from lingyun.fields import Issue

from .conftest import reply_for

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def acme() -> ModuleType:
    path = ROOT / "examples" / "lingyun-acme" / "src" / "lingyun_acme" / "__init__.py"
    spec = importlib.util.spec_from_file_location("acme_example", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def receipt(**values: str) -> dict[str, Any]:
    names = {"merchant": "商户名称", "receipt_number": "收据编号", "date": "日期",
             "amount": "金额", "amount_in_words": "金额大写"}
    cells = [{"id": str(i), "name": names[k], "result": {"result": text, "confidence": "90"}}
             for i, (k, text) in enumerate(values.items())]
    return {"error": 0, "text": "请求成功", "data": {"forms": {"form": {
        "id": "0", "name": "收据", "ver": "1", "page": {"id": "0", "name": "收据",
                                                       "cell": cells}}}}}


GOOD = {"merchant": "ACME 商店", "receipt_number": "AC-1234 5674", "date": "2024年3月5日",
        "amount": "￥12.50", "amount_in_words": "壹拾贰元伍角"}


def test_a_good_receipt_is_normalized_without_issues(acme: ModuleType) -> None:
    result = acme.RECEIPT.parse(reply_for(receipt(**GOOD)))
    assert result.issues == []
    assert result["receipt_number"].normalized == "AC12345674"
    assert result["date"].normalized == datetime.date(2024, 3, 5)
    assert result["amount"].normalized == Decimal("12.50")


@pytest.mark.parametrize(("changes", "expected"), [
    ({"receipt_number": "AC12345675"},
     [Issue("receipt_number", "acme.receipt_number",
            "'AC12345675': the last digit is not the Luhn check digit of the others")]),
    ({"receipt_number": "XY1"},
     [Issue("receipt_number", "acme.receipt_number", "'XY1' is not AC and eight digits")]),
    ({"amount_in_words": "壹拾叁元伍角"},
     [Issue("amount", "money.words", "figures say 12.50, amount_in_words says 13.5")]),
])
def test_plugin_and_builtin_checks_report_issues(
    acme: ModuleType, changes: dict[str, str], expected: list[Issue]
) -> None:
    assert acme.RECEIPT.parse(reply_for(receipt(**{**GOOD, **changes}))).issues == expected


def test_missing_required_merchant(acme: ModuleType) -> None:
    values = {k: t for k, t in GOOD.items() if k != "merchant"}
    result = acme.RECEIPT.parse(reply_for(receipt(**values)))
    assert result.issues == [
        Issue("merchant", "required", "商户名称 is required; the service did not return it")]


def test_the_plugin_validator_is_described(acme: ModuleType) -> None:
    described = {f["key"]: f for f in acme.RECEIPT.describe()["fields"]}
    assert described["receipt_number"]["validators"] == [{
        "name": "acme.receipt_number", "uses": [],
        "description": "ACME receipt numbers: AC, seven digits and a Luhn check digit."}]
