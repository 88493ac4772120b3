"""Driving licence (机动车驾驶证). The service sends no coordinates for it."""

from ..doctypes import registering
from .template import template_document

KEYS = {
    "证号": "licence_number",
    "姓名": "name",
    "性别": "sex",
    "国籍": "nationality",
    "地址": "address",
    "出生日期": "birth_date",
    "初次领证日期": "first_issue_date",
    "身份证号码": "id_number",
    "准驾车型": "vehicle_class",
    "有效起始日期": "valid_from",
    "有效期限": "valid_period",
}

DLCARD = template_document(
    "dlcard", "dlcard", "Driving licence", "驾驶证",
    keys=KEYS,
)


lingyun_register_document_types = registering(DLCARD)
