"""Driving licence (机动车驾驶证). The service sends no coordinates for it.

The licence carries the holder's resident ID number, checked like the ID card's, and against
the printed birth date and sex.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import template_document

FIELDS = [
    Field("licence_number", "证号", kinds.CODE),
    Field("name", "姓名", required=True),
    Field("sex", "性别", kinds.SEX),
    Field("nationality", "国籍"),
    Field("address", "地址"),
    Field("birth_date", "出生日期", kinds.DATE, validators=[v.not_in_future]),
    Field("first_issue_date", "初次领证日期", kinds.DATE),
    Field("id_number", "身份证号码", kinds.ID_NUMBER, required=True,
          validators=[v.id_birth_date("birth_date"), v.id_sex("sex")]),
    Field("vehicle_class", "准驾车型", kinds.CODE,
          validators=[v.pattern("dlcard.vehicle_class", r"(?:[ABCDEFMNP][1-5]?)+",
                                "licence classes such as C1 or A2D")]),
    Field("valid_from", "有效起始日期", kinds.DATE),
    Field("valid_period", "有效期限", help="a number of years (6年, 10年) or 长期"),
]

DLCARD = template_document(
    "dlcard", "dlcard", "Driving licence", "驾驶证",
    fields=FIELDS,
)


lingyun_register_document_types = registering(DLCARD)
