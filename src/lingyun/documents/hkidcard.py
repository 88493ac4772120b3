"""Hong Kong identity card (香港身份证). Confidences are percentages."""

from ..doctypes import registering
from .template import CONFIDENCE_PERCENT, template_document

KEYS = {
    "身份证号码": "id_number",
    "姓名": "name",
    "Name": "name_en",
    "性别": "sex",
    "电码": "telegraph_code",
    "出生日期": "birth_date",
    "签发日期": "issue_date",
    "代码": "symbols",
    "头像": "photo",
}

HKIDCARD = template_document(
    "hkidcard", "hkidcard", "Hong Kong identity card", "香港身份证",
    keys=KEYS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(HKIDCARD)
