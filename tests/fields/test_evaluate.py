"""The evaluator: bad values, broken plugin checks and absent fields become issues."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from lingyun.doctypes import DocumentType
from lingyun.documents.template import template_document
from lingyun.errors import UsageError
from lingyun.fields import Field, Issue, Kind, Occurrence, evaluate, kinds, validator
from lingyun.fields import validators as v

FIELDS = [
    Field("total", "总额", kinds.MONEY, required=True,
          validators=[v.amount_matches_words("total_in_words")]),
    Field("total_in_words", "大写", kinds.MONEY_WORDS),
    Field("date", "日期", kinds.DATE, required=True),
    Field("note", "备注"),
]


def test_values_are_normalized_and_cross_checked() -> None:
    checked, missing = evaluate(FIELDS, [
        Occurrence("total", "total", "￥230000.00"),
        Occurrence("total_in_words", "total_in_words", "贰拾叁万元整"),
        Occurrence("date", "date", "２０１４-１１-０１"),
        Occurrence(None, "说明", "  free   text "),
    ])
    assert [c.normalized for c in checked] == [
        Decimal("230000.00"), Decimal("230000"), datetime.date(2014, 11, 1), "free text"]
    assert [c.issues for c in checked] == [[], [], [], []]
    assert missing == []


def test_disagreeing_words_and_bad_values_are_issues() -> None:
    checked, missing = evaluate(FIELDS, [
        Occurrence("total", "total", "￥230000.00"),
        Occurrence("total_in_words", "total_in_words", "贰拾叁万伍元整"),
        Occurrence("date", "date", "20140231"),
    ])
    assert checked[0].issues == [Issue("total", "money.words",
                                       "figures say 230000.00, total_in_words says 230005")]
    assert checked[2].normalized is None
    assert checked[2].issues == [
        Issue("date", "date", "'20140231' is no calendar date (2014-02-31)")]
    assert missing == []


def test_cross_check_is_skipped_when_the_other_field_is_unreadable() -> None:
    checked, _ = evaluate(FIELDS, [
        Occurrence("total", "total", "￥230000.00"),
        Occurrence("total_in_words", "total_in_words", "叁壹陆壹陆"),
        Occurrence("date", "date", "2014-11-01"),
    ])
    assert checked[0].issues == []                   # no figures-vs-words issue ...
    assert [i.check for i in checked[1].issues] == ["money_words"]   # ... the words have one


def test_required_fields_absent_or_empty() -> None:
    checked, missing = evaluate(FIELDS, [Occurrence("total", "total", "  ")])
    assert checked[0].issues == [Issue("total", "required", "总额 is required but empty")]
    assert missing == [Issue("date", "required", "日期 is required; the service did not return it")]


def test_separators_alone_are_empty() -> None:
    fields = [Field("code", "代码", kinds.CODE, required=True)]
    checked, _ = evaluate(fields, [Occurrence("code", "code", " - -　")])
    assert checked[0] == (None, [Issue("code", "required", "代码 is required but empty")])


def test_a_broken_plugin_check_is_an_issue_not_a_crash() -> None:
    @validator("acme.explodes")
    def explodes(value: str) -> str | None:
        raise ZeroDivisionError("boom")

    weird = Kind("weird", lambda text: object(), "object")
    failing = Kind("failing", lambda text: 1 / 0, "int")
    fields = [Field("a", "甲", validators=[explodes]), Field("b", "乙", weird),
              Field("c", "丙", failing), Field("d", "丁", normalizers=[lambda s: s.encode()])]
    checked, _ = evaluate(fields, [Occurrence(k, k, "x") for k in "abcd"])
    assert checked[0].issues == [Issue(
        "a", "acme.explodes", "the check itself failed (ZeroDivisionError: boom)")]
    assert checked[1].normalized is None
    assert checked[1].issues == [Issue(
        "b", "weird", "normalized to a object, which a result cannot store")]
    assert checked[2].issues[0].message.startswith("the check itself failed (ZeroDivisionError")
    assert checked[3].issues[0].check == "text"


def test_validators_must_be_declared_as_validators() -> None:
    with pytest.raises(UsageError, match="use the @validator decorator"):
        Field("a", "甲", validators=[lambda value: None])  # type: ignore[list-item]


def test_keys_shorthand_is_the_same_mechanism() -> None:
    by_keys = template_document("x.a", "a", "A", "甲", keys={"金额": "amount"})
    by_fields = template_document("x.a", "a", "A", "甲", fields=[Field("amount", "金额")])
    assert by_keys.fields == by_fields.fields == (Field("amount", "金额"),)
    assert by_keys.keys == by_fields.keys == {"金额": "amount"}
    plain = DocumentType("x.b", "B", "乙", {"capkey": "x"}, parse=dict, keys={"名": "name"})
    assert plain.fields == (Field("name", "名"),)


@pytest.mark.parametrize(("kwargs", "why"), [
    ({}, "exactly one"),
    ({"keys": {"金额": "amount"}, "fields": [Field("amount", "金额")]}, "exactly one"),
    ({"fields": [Field("a", "甲"), Field("a", "乙")]}, "declared twice"),
    ({"fields": [Field("a", "甲"), Field("b", "甲")]}, "declared twice"),
])
def test_bad_declarations(kwargs: dict, why: str) -> None:
    with pytest.raises(UsageError, match=why):
        template_document("x.c", "c", "C", "丙", **kwargs)


def test_keys_disagreeing_with_fields() -> None:
    with pytest.raises(UsageError, match="disagrees"):
        DocumentType("x.d", "D", "丁", {"capkey": "x"}, parse=dict,
                      keys={"名": "other"}, fields=(Field("name", "名"),))


def test_describe_shows_kind_checks_and_uses() -> None:
    described = FIELDS[0].describe()
    assert described == {
        "key": "total", "name": "总额", "kind": "money", "type": "decimal.Decimal",
        "required": True,
        "validators": [{"name": "money.words", "uses": ["total_in_words"],
                        "description": "equals the amount in words (total_in_words)"}],
        "normalizers": [], "help": "",
    }
