"""Resident identity card (居民身份证): the personal-information and issuing-authority sides.

The number's check digit, region and birth date are checked, and its birth date and sex
against the card's printed ones; the validity period must be 5, 10 or 20 years (or 长期).
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from ..recognizers.idcard import read_idcard_back, read_idcard_front
from .template import template_document

FRONT_FIELDS = [
    Field("name", "姓名", required=True),
    Field("sex", "性别", kinds.SEX, required=True),
    Field("ethnicity", "民族"),
    Field("birth_date", "出生日期", kinds.DATE, required=True, validators=[v.not_in_future]),
    Field("birth_year", "年", kinds.INTEGER),
    Field("birth_month", "月", kinds.INTEGER),
    Field("birth_day", "日", kinds.INTEGER),
    Field("address", "地址", required=True),
    Field("id_number", "身份证号码", kinds.ID_NUMBER, required=True,
          validators=[v.id_birth_date("birth_date"), v.id_sex("sex")]),
    Field("photo", "头像", help="the photo's region; the service sends no text for it"),
]
BACK_FIELDS = [
    Field("issuing_authority", "签发机关", required=True),
    Field("valid_period", "有效期限", kinds.PERIOD, required=True,
          validators=[v.id_card_validity]),
]

IDCARD_FRONT = template_document(
    "idcard.front", "idcard", "Resident ID card, personal-information side",
    "身份证 个人信息面", fields=FRONT_FIELDS, page_index=0,
    local_recognizer=read_idcard_front,
)
IDCARD_BACK = template_document(
    "idcard.back", "idcard", "Resident ID card, issuing-authority side",
    "身份证 签发机关面", fields=BACK_FIELDS, page_index=1,
    local_recognizer=read_idcard_back,
)


lingyun_register_document_types = registering(IDCARD_FRONT, IDCARD_BACK)
