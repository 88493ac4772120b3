"""Resident identity card (居民身份证), both sides, read from the embedded engine's lines.

Personal-information side: each value is printed right of its label (姓名, 性别, 民族,
出生, 住址), the address wrapping onto the lines below; the 18-character number stands
right of 公民身份号码.  The labels are printed pale and small, so a noisy photo can lose
them: then the birth date is found by its form (``1907年10月19日``), the sex as a lone
男/女, and the address as the lines under the birth date in the value column.

The number is found as a run of 17 digits and a check character (digit or ``X``) anywhere
on the page, preferring one whose ISO 7064 check character is right (python-stdnum computes
it) -- a misread digit then shows as a failed check downstream rather than a silently
different number.

Issuing-authority side: 签发机关 and 有效期限; the period is answered the vendor's way,
``YYYYMMDD-YYYYMMDD`` (or ``YYYYMMDD-长期``), whatever separators the card prints.

The photo (头像) is not reported: the engine reads text, not pictures, and a guessed box
would be invented data.
"""

from __future__ import annotations

import re
from typing import Any

from stdnum.cn import ric

from .page import Box, DigitRun, Page, Span, digit_runs, union
from .vendor import template_cell, template_data

__all__ = ["read_idcard_back", "read_idcard_front"]

FRONT_FORM = ("0", "二代身份证")
FRONT_PAGE = ("0", "个人信息页")
BACK_FORM = ("1", "二代身份证")
BACK_PAGE = ("1", "签发机关页")

#: Every label of the front; a value stops where the next label starts.
FRONT_LABELS = ("姓名", "性别", "民族", "出生", "住址", "公民身份号码")
_ID_ROW = re.compile(r"\d{10}")
_LONE_SEX = re.compile(r"^[男女](?=民族|$)")
_BIRTH = re.compile(r"(\d{4})年?(\d{1,2})月(\d{1,2})日?")  # 年 may be lost to noise
_DATE = r"(\d{4})\D?(\d{1,2})\D?(\d{1,2})"
_PERIOD = re.compile(_DATE + r"[-—–~至]+(?:" + _DATE + r"|(长期))")


def _after(page: Page, label: str) -> Span | None:
    found = page.first(label)
    if found is None:
        return None
    return page.right_of(found, stop=[w for w in FRONT_LABELS if w != label])


def _id_check_ok(run: DigitRun) -> bool:
    return ric.calc_check_digit(run.digits) == run.digits[-1]


def _id_number(page: Page) -> DigitRun | None:
    """The 18-character run, check character right first, then the tallest print."""
    candidates = [r for r in digit_runs(page, last="Xx") if len(r.digits) == 18]
    if not candidates:
        return None
    return max(candidates, key=lambda r: (_id_check_ok(r), r.char_height))


def _birth_value(page: Page) -> Span | None:
    """Right of 出生; else the first ``YYYY年M月D日`` anywhere (a pale label went unread)."""
    value = _after(page, "出生")
    if value is not None and _BIRTH.search(value.compact):
        return value
    return page.first(_BIRTH)


def _birth(value: Span) -> dict[str, Any] | None:
    match = _BIRTH.search(value.compact)
    if match is None:
        return None
    parts = [value.sub(match.start(i), match.end(i)) for i in (1, 2, 3)]
    year, month, day = (p.compact for p in parts)
    children = [
        template_cell("40", "年", year, parts[0].box),
        template_cell("41", "月", month.zfill(2), parts[1].box),
        template_cell("42", "日", day.zfill(2), parts[2].box),
    ]
    return template_cell("4", "出生日期", f"{year}{month.zfill(2)}{day.zfill(2)}", None,
                         children)


def _sex(page: Page) -> Span | None:
    """The first character right of 性别; else a lone 男 or 女 (before 民族)."""
    value = _after(page, "性别")
    if value is not None and value.compact[:1] in ("男", "女"):
        return value.sub(0, 1)
    return page.first(_LONE_SEX)


def _address(page: Page, birth: Span | None) -> tuple[str, Box] | None:
    """The text right of 住址 and the lines wrapped under it, up to the number's row.

    Without the label, the address is what is printed under the birth date, aligned
    with it (the card's value column).
    """
    first = _after(page, "住址")
    if first is not None:
        parts = [first]
        following = page.below(first)
    elif birth is not None:
        parts = []
        following = page.below(birth, max_lines=4, first_step=2.5)
    else:
        return None
    for line in following:
        if "公民身份号码" in line.all.compact or _ID_ROW.search(line.all.compact):
            break
        parts.append(line.all.strip())
    parts = [p for p in parts if p]
    if not parts:
        return None
    return "".join(p.compact for p in parts), union(p.box for p in parts)


def read_idcard_front(page: Page) -> dict[str, Any]:
    """The personal-information side in the vendor's ``data`` shape (SPEC §4)."""
    cells: list[dict[str, Any]] = []
    number = _id_number(page)
    if number is not None:
        cells.append(template_cell("0", "身份证号码", number.digits, number.box))
    ethnicity = _after(page, "民族")
    if ethnicity is not None:
        cells.append(template_cell("1", "民族", ethnicity.compact, ethnicity.box))
    name = _after(page, "姓名")
    if name is not None:
        cells.append(template_cell("2", "姓名", name.compact, name.box))
    sex = _sex(page)
    if sex is not None:
        cells.append(template_cell("3", "性别", sex.compact, sex.box))
    birth_value = _birth_value(page)
    birth = _birth(birth_value) if birth_value is not None else None
    if birth is not None:
        cells.append(birth)
    address = _address(page, birth_value)
    if address is not None:
        cells.append(template_cell("5", "地址", *address))
    return template_data(FRONT_FORM, FRONT_PAGE, cells)


def read_idcard_back(page: Page) -> dict[str, Any]:
    """The issuing-authority side in the vendor's ``data`` shape (SPEC §4)."""
    cells: list[dict[str, Any]] = []
    period = page.first("有效期限")
    value = page.right_of(period) if period is not None else None
    if value is not None:
        match = _PERIOD.search(value.compact)
        if match is not None:
            start = "".join(match.group(i).zfill(2) for i in (1, 2, 3))
            end = match.group(7) or "".join(match.group(i).zfill(2) for i in (4, 5, 6))
            cells.append(template_cell("0", "有效期限", f"{start}-{end}", value.box))
    authority = page.first("签发机关")
    value = page.right_of(authority) if authority is not None else None
    if value is not None:
        cells.append(template_cell("1", "签发机关", value.compact, value.box))
    return template_data(BACK_FORM, BACK_PAGE, cells)
