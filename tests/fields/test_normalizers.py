"""Readers and text normalizers: every vendor date form, amounts in words both ways."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lingyun.fields import Invalid, Period
from lingyun.fields.normalizers import (
    collapse_spaces,
    compact,
    fold_fullwidth,
    format_amount_in_words,
    parse_amount_in_words,
    parse_chinese_integer,
    parse_date,
    parse_money,
    parse_percent,
    parse_period,
    parse_sex,
    two_digit_year,
)

D = datetime.date


@pytest.mark.parametrize(("text", "expected"), [
    ("19910316", D(1991, 3, 16)),                    # idcard.front
    ("2015年 12月 25日", D(2015, 12, 25)),             # bl
    ("２０１２１１１５", D(2012, 11, 15)),              # dlcard, full width
    ("14-06-1990", D(1990, 6, 14)),                  # hkidcard, day first
    ("15-07-17", D(2017, 7, 15)),                    # hkidcard, two-digit year
    ("1965-04-18", D(1965, 4, 18)),                  # hm2
    ("1981.08.03", D(1981, 8, 3)),                   # pid
    ("09 DEC 1985", D(1985, 12, 9)),                 # pcn
    ("01 09月/SEP 2014", D(2014, 9, 1)),             # pcn, Chinese and English month
    ("31 08月/AUG 2024", D(2024, 8, 31)),            # pcn
    ("2013年 07月 03日", D(2013, 7, 3)),              # vat
    ("2014-11-01", D(2014, 11, 1)),                  # vsi
    ("贰零壹伍年壹拾月零叁拾日", D(2015, 10, 30)),       # ab, capitals with a guarding 零
    ("贰零壹陆年零贰月贰拾捌日", D(2016, 2, 28)),        # ab
    ("二〇一九年三月一日", D(2019, 3, 1)),              # common numerals
])
def test_every_vendor_date_form(text: str, expected: datetime.date) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(("text", "why"), [
    ("20020004", "no calendar date"),          # hm2's issue date: month 00
    ("２", "not a date"),                        # vlcard's dates
    ("20230230", "no calendar date"),
    ("01 09月/AUG 2014", "disagree"),
    ("09 XYZ 1985", "not a month"),
    ("", "not a date"),
])
def test_unreadable_dates_say_why(text: str, why: str) -> None:
    with pytest.raises(Invalid, match=why):
        parse_date(text)


def test_two_digit_years_are_not_in_the_future() -> None:
    today = D(2026, 11, 25)
    assert two_digit_year(17, today) == 2017
    assert two_digit_year(26, today) == 2026
    assert two_digit_year(27, today) == 1927


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.dates(min_value=D(1900, 1, 1), max_value=D(2099, 12, 31)))
def test_dates_round_trip_through_every_printed_form(day: datetime.date) -> None:
    capitals = "零壹贰叁肆伍陆柒捌玖"
    year_words = "".join(capitals[int(c)] for c in str(day.year))

    def small(n: int) -> str:  # 1..31 as a bill writes it
        tens, units = divmod(n, 10)
        return ("零" if n < 10 or n % 10 == 0 else "") + (
            (capitals[tens] + "拾" if tens else "") + (capitals[units] if units else ""))

    months = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split()
    forms = [
        day.strftime("%Y%m%d"), day.isoformat(), day.strftime("%Y.%m.%d"),
        f"{day.year}年 {day.month}月 {day.day}日", day.strftime("%d-%m-%Y"),
        f"{day.day:02d} {months[day.month - 1]} {day.year}",
        f"{day.day:02d} {day.month:02d}月/{months[day.month - 1]} {day.year}",
        "".join(chr(ord(c) + 0xFEE0) for c in day.strftime("%Y%m%d")),
        f"{year_words}年{small(day.month)}月{small(day.day)}日",
    ]
    for form in forms:
        assert parse_date(form) == day, form


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.text(max_size=40))
def test_readers_raise_only_invalid(text: str) -> None:
    for reader in (parse_date, parse_period, parse_money, parse_amount_in_words,
                   parse_percent, parse_sex, parse_chinese_integer):
        try:
            reader(text)
        except Invalid as exc:
            assert exc.message


def test_overlong_text_is_refused_not_scanned() -> None:
    with pytest.raises(Invalid, match="too long"):
        parse_date("1" * 10_000)


@pytest.mark.parametrize(("text", "expected"), [
    ("20080820-20180820", Period(D(2008, 8, 20), D(2018, 8, 20))),
    ("2014.04.02-2024.04.01", Period(D(2014, 4, 2), D(2024, 4, 1))),
    ("2014-04-02-2024-04-01", Period(D(2014, 4, 2), D(2024, 4, 1))),
    ("2015年12月25日至2035年12月24日", Period(D(2015, 12, 25), D(2035, 12, 24))),
    ("20150101-长期", Period(D(2015, 1, 1), None)),
])
def test_periods(text: str, expected: Period) -> None:
    assert parse_period(text) == expected


@pytest.mark.parametrize(("text", "why"), [
    ("2015年 12月 25日至年", "'年' is not a date"),   # bl's business term
    ("20020004-20190604", "no calendar date"),       # hm2's validity
    ("20180820-20080820", "ends before it starts"),
    ("19910316", "not a period"),
])
def test_bad_periods(text: str, why: str) -> None:
    with pytest.raises(Invalid, match=why):
        parse_period(text)


@pytest.mark.parametrize(("text", "expected"), [
    ("贰拾叁万元整", Decimal("230000")),       # vsi
    ("壹佰万元整", Decimal("1000000")),        # bl
    ("叁仟零伍元陆角", Decimal("3005.6")),
    ("人民币伍角叁分", Decimal("0.53")),
    ("壹拾万零壹拾元整", Decimal("100010")),
    ("拾万元整", Decimal("100000")),
    ("壹亿零伍元整", Decimal("100000005")),
    ("贰拾万壹仟伍佰零捌元陆角陆分", Decimal("201508.66")),
    ("壹元零伍分", Decimal("1.05")),
    ("零元整", Decimal("0")),
    ("伍圆整", Decimal("5")),
])
def test_amounts_in_words(text: str, expected: Decimal) -> None:
    assert parse_amount_in_words(text) == expected


@pytest.mark.parametrize(("text", "why"), [
    ("叁壹陆壹陆", "no unit between"),   # ab's amount in words: numerals without units
    ("元整", "no numerals"),
    ("壹拾拾元", "out of order"),
    ("佰元", "no numeral before"),
    ("壹万万元", "out of place"),
    ("五块", "not"),
    ("整", "no amount"),
])
def test_bad_amounts_in_words(text: str, why: str) -> None:
    with pytest.raises(Invalid, match=why):
        parse_amount_in_words(text)


@pytest.mark.parametrize(("amount", "words"), [
    ("230000", "贰拾叁万元整"),
    ("1000000", "壹佰万元整"),
    ("201508.66", "贰拾万壹仟伍佰零捌元陆角陆分"),
    ("10005.05", "壹万零伍元零伍分"),
    ("100000005", "壹亿零伍元整"),
    ("0.5", "伍角"),
    ("0", "零元整"),
    ("1010", "壹仟零壹拾元整"),
])
def test_format_amount_in_words(amount: str, words: str) -> None:
    assert format_amount_in_words(Decimal(amount)) == words


@settings(deadline=None)  # a shared machine: timing is no property
@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_amounts_round_trip_through_words(cents: int) -> None:
    amount = Decimal(cents) / 100
    assert parse_amount_in_words(format_amount_in_words(amount)) == amount


def test_format_refuses_what_a_bill_cannot_say() -> None:
    for amount in ("-1", "0.001", "1000000000000"):
        with pytest.raises(Invalid):
            format_amount_in_words(Decimal(amount))


def test_money_percent_sex() -> None:
    assert parse_money("￥201508.66") == Decimal("201508.66")
    assert parse_money("¥1,234.50") == Decimal("1234.50")
    assert parse_money("７９１２４.７６元") == Decimal("79124.76")
    assert parse_percent("17%") == Decimal("0.17")
    assert [parse_sex(s) for s in ("男", "女", "女/F", "M")] == ["M", "F", "F", "M"]
    for bad, reader in (("1.2.3", parse_money), ("17", parse_percent), ("女/M", parse_sex)):
        with pytest.raises(Invalid):
            reader(bad)


def test_text_normalizers() -> None:
    assert fold_fullwidth("ＬＳＶＡＡ１２（３）　号") == "LSVAA12(3) 号"
    assert compact("ｌｓｖ 12-3") == "LSV123"
    assert collapse_spaces("  陈   XX \n") == "陈 XX"
