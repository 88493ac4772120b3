"""Home-return permit (港澳居民来往内地通行证, 回乡证). Confidences are percentages."""

from ..doctypes import registering
from .template import CONFIDENCE_PERCENT, template_document

KEYS = {
    "证件号码": "permit_number",
    "身份证号码": "id_number",
    "姓名": "name",
    "Name": "name_en",
    "性别": "sex",
    "出生日期": "birth_date",
    "签发日期": "issue_date",
    "有效期限": "valid_period",
    "头像": "photo",
}

HM2 = template_document(
    "hm2", "hm2", "Home-return permit", "回乡证",
    keys=KEYS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(HM2)
