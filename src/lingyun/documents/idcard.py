"""Resident identity card (居民身份证): the personal-information and issuing-authority sides."""

from ..doctypes import registering
from ..recognisers.idcard import read_idcard_back, read_idcard_front
from .template import template_document

FRONT_KEYS = {
    "姓名": "name",
    "性别": "sex",
    "民族": "ethnicity",
    "出生日期": "birth_date",
    "年": "birth_year",
    "月": "birth_month",
    "日": "birth_day",
    "地址": "address",
    "身份证号码": "id_number",
    "头像": "photo",
}
BACK_KEYS = {"签发机关": "issuing_authority", "有效期限": "valid_period"}

IDCARD_FRONT = template_document(
    "idcard.front", "idcard", "Resident ID card, personal-information side",
    "身份证 个人信息面", keys=FRONT_KEYS, page_index=0,
    local_recogniser=read_idcard_front,
)
IDCARD_BACK = template_document(
    "idcard.back", "idcard", "Resident ID card, issuing-authority side",
    "身份证 签发机关面", keys=BACK_KEYS, page_index=1,
    local_recogniser=read_idcard_back,
)


lingyun_register_document_types = registering(IDCARD_FRONT, IDCARD_BACK)
