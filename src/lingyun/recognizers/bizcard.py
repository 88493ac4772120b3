"""Business cards (名片): name, title, department, company, phones, e-mail, web, address.

Each line is read on its own, first by its label (手机, 电话, 传真, 邮箱, 地址, 网址, 邮编
and the English Mobile, Tel, Fax, E-mail, Add, Web, Zip), then by its shape when it has none
(an e-mail address, a mobile number 1[3-9]xxxxxxxxx, a number with an area code, a company
suffix such as 有限公司, a job title word).  The person's name is what is left: the line of
two to four Chinese characters printed largest.

Items use the vendor's machine keys (``name, title, department, adr, postalcode, tel,
tel_cell, fax, email, url``); the company, which the vendor's example does not show, is
``company`` (名称 公司).  Confidences are the vendor's percentages.
"""

from __future__ import annotations

import re
from typing import Any

from .page import Page, Span
from .vendor import box_members

__all__ = ["ITEM_NAMES", "read_bizcard"]

#: item -> the vendor's Chinese name for it.
ITEM_NAMES = {
    "name": "姓名", "title": "公司职务", "department": "部门", "company": "公司名称",
    "adr": "地址", "postalcode": "邮政编码", "tel": "电话", "tel_cell": "手机",
    "fax": "传真", "email": "电子邮件", "url": "网址",
}
_LABELS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (item, re.compile(r"^(?:" + words + r")[:：]?", re.IGNORECASE)) for item, words in (
        ("tel_cell", r"手机|移动电话|Mobile|Mob|Cell|M(?=[:：])"),
        ("fax", r"传真|Fax|F(?=[:：])"),
        ("tel", r"电话|座机|Tel|Phone|T(?=[:：])"),
        ("email", r"邮箱|电子邮件|E-?mail"),
        ("url", r"网址|网站|Web|Website|Http"),
        ("postalcode", r"邮编|邮政编码|Zip|P\.?C\.?"),
        ("adr", r"地址|Address|Addr|Add"),
    )
)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_URL = re.compile(r"(?:https?://)?www\.[\w-]+(?:\.[\w-]+)+\S*", re.IGNORECASE)
_MOBILE = re.compile(r"(?<!\d)1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
_PHONE = re.compile(r"(?<!\d)(?:\(?0\d{2,3}\)?[- ]?)\d{7,8}(?!\d)")
_POSTCODE = re.compile(r"(?<!\d)\d{6}(?!\d)")
_COMPANY = re.compile(r"公司|集团|研究院|事务所|银行|大学|Co\.|Ltd|Inc\b|Corp", re.IGNORECASE)
_TITLE = re.compile(r"经理|总监|主管|工程师|总裁|董事|主任|顾问|总经理|秘书|会计|设计师|律师|"
                    r"CEO|CTO|CFO|Manager|Director|Engineer|President", re.IGNORECASE)
_DEPARTMENT = re.compile(r"(?:部|中心|事业部|办公室|处|科)$")
_DEPARTMENT_TITLE = re.compile(r"([\u4e00-\u9fff]{1,8}?(?:部|中心))([\u4e00-\u9fff]{0,6}"
                               r"(?:" + _TITLE.pattern + r"))")
_ADDRESS = re.compile(r"[省市区县]\S*[路街道巷号]")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")


def _by_label(span: Span) -> tuple[str, Span] | None:
    """``(item, value)`` when the line starts with a label; the value is what follows.

    A Latin label must be closed by a colon or followed by something other than a letter,
    so ``Telecom Co., Ltd`` is a company, not a phone number ``ecom Co., Ltd``.
    """
    compact = span.compact
    for item, pattern in _LABELS:
        match = pattern.match(compact)
        if not match or match.end() >= len(compact):
            continue
        after = compact[match.end()]
        if match.group(0)[-1] in ":：" or not (after.isascii() and after.isalpha()):
            return item, span.sub(match.end()).strip()
    return None


def _by_shape(span: Span) -> tuple[str, Span] | None:
    """``(item, value)`` for an unlabelled line whose text says what it is."""
    compact = span.compact
    for item, pattern in (("email", _EMAIL), ("url", _URL), ("tel_cell", _MOBILE),
                          ("tel", _PHONE)):
        match = pattern.search(compact)
        if match:
            return item, span.sub(match.start(), match.end())
    if _POSTCODE.fullmatch(compact):
        return "postalcode", span
    if _COMPANY.search(compact):
        return "company", span
    if _TITLE.search(compact) and len(compact) <= 12:
        return "title", span
    if _DEPARTMENT.search(compact) and len(compact) <= 10:
        return "department", span
    if _ADDRESS.search(compact):
        return "adr", span
    return None


#: Items whose value never holds a space (a gap in a phone number is print layout).
_COMPACT_ITEMS = frozenset({"tel", "tel_cell", "fax", "email", "url", "postalcode"})


def _split_department(span: Span) -> list[tuple[str, Span] | None]:
    """``研发部 技术总监`` on one line: the department, then the title (the space between
    Chinese words is too narrow to show in the boxes, so the words decide)."""
    match = _DEPARTMENT_TITLE.fullmatch(span.compact)
    if match is None:
        return []
    cut = match.end(1)
    return [("department", span.sub(0, cut)), ("title", span.sub(cut).strip())]


def _entry(number: int, item: str, value: Span) -> dict[str, Any]:
    return {
        "id": str(number),
        "item": item,
        "name": ITEM_NAMES[item],
        "result": {"text": value.compact if item in _COMPACT_ITEMS else value.text},
        "confidence": {"value": str(round(value.confidence * 100))},
        "bound": box_members(value.box),
    }


def read_bizcard(page: Page) -> dict[str, Any]:
    """The card in the vendor's ``data`` shape (SPEC §4, business card)."""
    found: list[tuple[str, Span]] = []
    rest: list[Span] = []
    for line in page.reading_order():
        span = line.all.strip()
        if not span:
            continue
        hits = _split_department(span) or [_by_label(span) or _by_shape(span)]
        if hits[0] is None:
            rest.append(span)
        else:
            found.extend(hit for hit in hits if hit is not None and hit[1])
    names = [s for s in rest if _NAME.fullmatch(s.compact)]
    if names:
        name = max(names, key=lambda s: s.line.char_height)
        found.insert(0, ("name", name))
    cells = [_entry(i, item, value) for i, (item, value) in enumerate(found)]
    return {"bizcard": {"cell": cells}}
