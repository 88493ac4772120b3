"""Turning what the service read into values of the right Python type.

Two sorts of function live here:

* **text normalizers** ``str -> str`` (:func:`fold_fullwidth`, :func:`compact`,
  :func:`collapse_spaces`): a template lists them in ``Field(normalizers=...)`` and they
  run before the kind reads the text;
* **readers** ``str -> value`` (:func:`parse_date`, :func:`parse_money`,
  :func:`parse_amount_in_words`, ...): each kind uses one, and each raises
  :class:`~lingyun.fields.issues.Invalid` saying what it could not read.

Every form of date the vendor's examples use is read (``19910316``, ``2015年 12月 25日``,
``２０１２１１１５``, ``14-06-1990``, ``15-07-17``, ``1965-04-18``, ``1981.08.03``,
``09 DEC 1985``, ``01 09月/SEP 2014`` and the bills' ``贰零壹伍年壹拾月零叁拾日``), and amounts
in Chinese capital numerals are read and written (:func:`format_amount_in_words`) so figures
can be checked against words.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from decimal import Decimal
from typing import NamedTuple

from .issues import Invalid

__all__ = [
    "Period",
    "collapse_spaces",
    "compact",
    "fold_fullwidth",
    "format_amount_in_words",
    "parse_amount_in_words",
    "parse_chinese_integer",
    "parse_date",
    "parse_money",
    "parse_percent",
    "parse_period",
    "parse_sex",
]

#: Longest text a reader looks at; an OCR field longer than this is not a date or amount.
MAX_TEXT = 200


def _bounded(text: str) -> str:
    if len(text) > MAX_TEXT:
        raise Invalid(f"{len(text)} characters is too long for this kind of value")
    return text


# --- text normalizers -----------------------------------------------------------------------

_FULLWIDTH = {c: unicodedata.normalize("NFKC", chr(c)) for c in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = " "  # ideographic space


def fold_fullwidth(text: str) -> str:
    """Full-width ASCII (``ＬＳＶＡＡ``, ``２０１２``, ``（１）``) and the ideographic space
    folded to their ASCII forms; other characters (Chinese included) are kept."""
    return text.translate(_FULLWIDTH)


def collapse_spaces(text: str) -> str:
    """Runs of whitespace made one space, and the ends stripped."""
    return " ".join(text.split())


def compact(text: str) -> str:
    """An identifier's characters only: full-width folded, spaces and hyphens removed,
    letters upper-cased (``"ｌｓｖ 12-3"`` -> ``"LSV123"``)."""
    return re.sub(r"[\s\-]", "", fold_fullwidth(text)).upper()


# --- Chinese numerals -----------------------------------------------------------------------

_DIGITS = {
    **dict.fromkeys("零〇○", 0),
    **{c: i + 1 for i, c in enumerate("壹贰叁肆伍陆柒捌玖")},
    **{c: i + 1 for i, c in enumerate("一二三四五六七八九")},
    "两": 2, "貳": 2, "參": 3, "陸": 6,
}
_UNITS = {"拾": 10, "十": 10, "佰": 100, "百": 100, "仟": 1000, "千": 1000}
_BIG = {"万": 10**4, "萬": 10**4, "亿": 10**8, "億": 10**8}
_CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"


def parse_chinese_integer(text: str) -> int:
    """An integer in Chinese numerals with units (``叁拾``, ``零叁拾``, ``壹佰万``,
    ``贰仟零伍``); a leading 零 (written on bills against alteration) is allowed.

    Strict: two digits with no unit between them (``叁壹``), a unit with no digit (other
    than a leading 拾) or units out of order raise :class:`Invalid`.
    """
    if not text:
        raise Invalid("no numerals")
    total = 0            # completed 亿 groups
    group = 0            # completed 万 groups below the current 亿
    section = 0          # below 万
    pending: int | None = None
    last_unit = 10**5    # units inside a section must decrease
    last_big = 10**9
    for i, ch in enumerate(text):
        if ch in _DIGITS:
            digit = _DIGITS[ch]
            if pending is not None:
                raise Invalid(f"numerals {text[i - 1]}{ch} in {text!r} have no unit between them")
            pending = digit if digit else None
        elif ch in _UNITS:
            unit = _UNITS[ch]
            if unit >= last_unit:
                raise Invalid(f"unit {ch} out of order in {text!r}")
            if pending is None:
                if unit == 10 and section == 0 and i == 0:
                    pending = 1  # 拾万 = 100000: a leading 拾 stands for 壹拾
                else:
                    raise Invalid(f"unit {ch} in {text!r} has no numeral before it")
            section += pending * unit
            pending, last_unit = None, unit
        elif ch in _BIG:
            big = _BIG[ch]
            value = section + (pending or 0)
            if big >= last_big or value == 0:
                raise Invalid(f"unit {ch} out of place in {text!r}")
            if big == 10**8:
                total += (group + value) * big
                group = 0
            else:
                group += value * big
            section, pending, last_unit, last_big = 0, None, 10**5, big
        else:
            raise Invalid(f"{ch!r} is not a Chinese numeral (in {text!r})")
    return total + group + section + (pending or 0)


def _chinese_digit_string(text: str) -> int:
    """A year written digit by digit (``贰零壹伍`` -> 2015)."""
    try:
        return int("".join(str(_DIGITS[c]) for c in text))
    except KeyError:
        raise Invalid(f"{text!r} is not written in Chinese digits") from None


# --- dates ----------------------------------------------------------------------------------

_MONTHS = {m: i + 1 for i, m in enumerate(
    ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"))}

_YMD_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_YMD = re.compile(r"(\d{4})\s*[-./年]\s*(\d{1,2})\s*[-./月]\s*(\d{1,2})\s*日?")
_DMY = re.compile(r"(\d{1,2})\s*[-./]\s*(\d{1,2})\s*[-./]\s*(\d{4}|\d{2})")
_D_MON_Y = re.compile(r"(\d{1,2})\s+(?:(\d{1,2})\s*月\s*/\s*)?([A-Za-z]{3})\s+(\d{4})")
_CAPITAL_YMD = re.compile(r"(\S+?)年(\S+?)月(\S+?)日")


def _date(year: int, month: int, day: int, text: str) -> datetime.date:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        raise Invalid(f"{text!r} is no calendar date ({year:04d}-{month:02d}-{day:02d})",
                      "date") from None


def two_digit_year(yy: int, today: datetime.date | None = None) -> int:
    """``yy`` in the current century unless that is in the future, then the previous one
    (a two-digit year on an issued document is in the past)."""
    today = today or datetime.date.today()
    year = today.year - today.year % 100 + yy
    return year if year <= today.year else year - 100


def parse_date(text: str) -> datetime.date:
    """A date in any form the vendor examples use (see the module docstring).

    Numeric forms with the year last are day first (``14-06-1990``), as printed on Hong Kong
    and Macau documents; a two-digit year follows :func:`two_digit_year`.
    """
    folded = collapse_spaces(fold_fullwidth(_bounded(text)))
    if m := _YMD_COMPACT.fullmatch(folded) or _YMD.fullmatch(folded):
        return _date(int(m[1]), int(m[2]), int(m[3]), text)
    if m := _DMY.fullmatch(folded):
        year = int(m[3]) if len(m[3]) == 4 else two_digit_year(int(m[3]))
        return _date(year, int(m[2]), int(m[1]), text)
    if m := _D_MON_Y.fullmatch(folded):
        month = _MONTHS.get(m[3].upper())
        if month is None:
            raise Invalid(f"{m[3]!r} in {text!r} is not a month", "date")
        if m[2] is not None and int(m[2]) != month:
            raise Invalid(f"{text!r}: the Chinese month {m[2]} and {m[3]} disagree", "date")
        return _date(int(m[4]), month, int(m[1]), text)
    if m := _CAPITAL_YMD.fullmatch(folded.replace(" ", "")):
        year = _chinese_digit_string(m[1])
        return _date(year, parse_chinese_integer(m[2]), parse_chinese_integer(m[3]), text)
    raise Invalid(f"{text!r} is not a date in a known form", "date")


class Period(NamedTuple):
    """A validity period; ``end`` is ``None`` for 长期 (no end date)."""

    start: datetime.date
    end: datetime.date | None


_OPEN_END = {"长期", "长期有效", "永久"}


def parse_period(text: str) -> Period:
    """``20080820-20180820``, ``2014.04.02-2024.04.01``, ``2015年12月25日至2035年12月24日``,
    ``20150101-长期``; the end must not precede the start."""
    folded = collapse_spaces(fold_fullwidth(_bounded(text)))
    parts: list[str] | None = None
    for separator in ("至", "—", "~", "–"):
        if folded.count(separator) == 1:
            parts = folded.split(separator)
            break
    if parts is None:
        dashes = [i for i, c in enumerate(folded) if c == "-"]
        if len(dashes) % 2 == 1:  # the middle dash separates (each date has 0 or 2 dashes)
            middle = dashes[len(dashes) // 2]
            parts = [folded[:middle], folded[middle + 1:]]
    if parts is None:
        raise Invalid(f"{text!r} is not a period (start-end)", "period")
    start_text, end_text = (p.strip() for p in parts)
    try:
        start = parse_date(start_text)
        end = None if end_text in _OPEN_END else parse_date(end_text)
    except Invalid as exc:
        raise Invalid(f"{text!r} is not a period: {exc.message}", "period") from None
    if end is not None and end < start:
        raise Invalid(f"{text!r}: the period ends before it starts", "period")
    return Period(start, end)


# --- money ----------------------------------------------------------------------------------

_MONEY = re.compile(r"[+-]?\d{1,15}(?:\.\d{1,2})?")


def parse_money(text: str) -> Decimal:
    """An amount in figures (``￥201508.66``, ``¥1,234.50``, ``79124.76元``) as a Decimal
    with at most two decimals."""
    folded = fold_fullwidth(_bounded(text)).strip()
    stripped = re.sub(r"^(?:RMB|CNY|人民币|[￥¥])\s*|\s*元$", "", folded).replace(",", "")
    if not _MONEY.fullmatch(stripped):
        raise Invalid(f"{text!r} is not an amount in figures", "money")
    return Decimal(stripped)


def parse_percent(text: str) -> Decimal:
    """A rate (``17%``) as a fraction (``Decimal("0.17")``)."""
    stripped = fold_fullwidth(_bounded(text)).strip()
    if not re.fullmatch(r"\d{1,3}(?:\.\d{1,4})?%", stripped):
        raise Invalid(f"{text!r} is not a percentage", "percent")
    return Decimal(stripped[:-1]) / 100


def parse_amount_in_words(text: str) -> Decimal:
    """An amount in Chinese capital numerals (``贰拾叁万元整``, ``壹佰万元整``,
    ``叁仟零伍元陆角``, ``人民币伍角叁分``) as a Decimal.

    A yuan part needs its 元/圆; numerals without units (``叁壹陆壹陆``) raise
    :class:`Invalid`, as does anything else the grammar does not allow.
    """
    words = re.sub(r"\s", "", _bounded(text))
    words = words.removeprefix("人民币").removeprefix("(大写)").removeprefix("（大写）")
    words = re.sub(r"[整正]$", "", words)
    if not words:
        raise Invalid(f"{text!r} holds no amount", "money_words")
    yuan_text, sep, rest = words.partition("元") if "元" in words else words.partition("圆")
    if not sep:
        if not re.search("[角分]", words):
            detail = ""
            try:
                parse_chinese_integer(words)
            except Invalid as exc:
                detail = f"; {exc.message}"
            raise Invalid(f"{text!r} names no unit of currency (元, 角 or 分){detail}",
                          "money_words")
        yuan_text, rest = "", words
    elif not yuan_text:
        raise Invalid(f"{text!r} has no numerals before {sep}", "money_words")
    try:
        yuan = parse_chinese_integer(yuan_text) if yuan_text else 0
        cents = _parse_jiao_fen(rest)
    except Invalid as exc:
        raise Invalid(f"{text!r} is not an amount in words: {exc.message}",
                      "money_words") from None
    return Decimal(yuan) + Decimal(cents) / 100


_JIAO_FEN = re.compile(r"零?(?:(?P<jiao>\S)角)?零?(?:(?P<fen>\S)分)?")


def _parse_jiao_fen(text: str) -> int:
    m = _JIAO_FEN.fullmatch(text)
    if not m:
        raise Invalid(f"{text!r} is not 角/分")
    cents = 0
    for name, weight in (("jiao", 10), ("fen", 1)):
        if m[name] is not None:
            if m[name] not in _DIGITS or _DIGITS[m[name]] == 0:
                raise Invalid(f"{m[name]!r} before {name} is not a digit")
            cents += _DIGITS[m[name]] * weight
    return cents


def _group_words(group: int) -> str:
    """0 < group < 10000 in capitals, zeros inside written once (``贰仟零伍``)."""
    out, zero = "", False
    for digit, unit in zip(f"{group:04d}", ("仟", "佰", "拾", ""), strict=True):
        if digit == "0":
            zero = bool(out)
            continue
        if zero:
            out += "零"
        out += _CAPITAL_DIGITS[int(digit)] + unit
        zero = False
    return out


def format_amount_in_words(amount: Decimal) -> str:
    """The capital-numeral form a bill prints for ``amount`` (0 <= amount < 10**12, whole
    cents): ``Decimal("230000")`` -> ``"贰拾叁万元整"``."""
    cents_total = amount * 100
    if amount < 0 or amount >= 10**12 or cents_total != cents_total.to_integral_value():
        raise Invalid(f"{amount} cannot be written as an amount in words", "money_words")
    yuan, cents = divmod(int(cents_total), 100)
    out = ""
    pending_zero = False
    for big, unit in ((10**8, "亿"), (10**4, "万"), (1, "")):
        group = yuan // big % 10**4
        if group == 0:
            pending_zero = bool(out)
            continue
        if out and (pending_zero or group < 1000):
            out += "零"
        out += _group_words(group) + unit
        pending_zero = False
    jiao, fen = divmod(cents, 10)
    if out:
        out += "元"
    elif not cents:
        return "零元整"
    if not cents:
        return out + "整"
    if jiao:
        out += _CAPITAL_DIGITS[jiao] + "角"
    if fen:
        out += ("零" if out and not jiao else "") + _CAPITAL_DIGITS[fen] + "分"
    return out


# --- small things ---------------------------------------------------------------------------

_SEX = {"男": "M", "女": "F", "M": "M", "F": "F", "MALE": "M", "FEMALE": "F"}


def parse_sex(text: str) -> str:
    """``"M"`` or ``"F"`` from ``男``/``女``, ``M``/``F`` or both (``女/F``), which must agree."""
    parts = [p for p in re.split(r"[/\s]+", fold_fullwidth(_bounded(text)).strip().upper()) if p]
    found = {_SEX.get(p) for p in parts}
    if not parts or None in found:
        raise Invalid(f"{text!r} is not a sex (男/女, M/F)", "sex")
    if len(found) > 1:
        raise Invalid(f"{text!r}: the Chinese and the Latin sex disagree", "sex")
    return found.pop()  # type: ignore[return-value]
