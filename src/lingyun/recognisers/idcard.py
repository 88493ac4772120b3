"""Resident identity card (居民身份证), both sides, read from the embedded engine's lines.

Personal-information side: each value is printed right of its label (姓名, 性别, 民族,
出生, 住址), the address wrapping onto the lines below; the 18-character number stands
right of 公民身份号码.  The number is found as a run of 17 digits and a check character
(digit or ``X``) anywhere on the page, preferring one whose ISO 7064 check character is
right (python-stdnum computes it) -- a misread digit then shows as a failed check downstream
rather than a silently different number.

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
_BIRTH = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日?")
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


def _birth(page: Page) -> dict[str, Any] | None:
    value = _after(page, "出生")
    if value is None:
        return None
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


def _address(page: Page) -> tuple[str, Box] | None:
    """The text right of 住址 and the lines wrapped under it, up to the number's row."""
    first = _after(page, "住址")
    if first is None:
        return None
    parts = [first]
    for line in page.below(first):
        if "公民身份号码" in line.all.compact or _ID_ROW.search(line.all.compact):
            break
        parts.append(line.all.strip())
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
    sex = _after(page, "性别")
    if sex is not None and sex.compact[:1] in ("男", "女"):
        first = sex.sub(0, 1)
        cells.append(template_cell("3", "性别", first.compact, first.box))
    birth = _birth(page)
    if birth is not None:
        cells.append(birth)
    address = _address(page)
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
