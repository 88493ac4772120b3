"""Travel permit (旅行证件, deprecated by the vendor). Confidences are on the 0..65280 scale."""

from ..doctypes import registering
from .template import CONFIDENCE_WORD, template_document

KEYS = {
    "MRZ": "mrz",
    "证件号码": "document_number",
    "姓名": "name",
    "Name": "name_en",
    "出生日期": "birth_date",
    "性别": "sex",
    "有效期限": "valid_period",
    "签发机关": "issuing_authority",
    "签发地点": "issue_place",
    "头像": "photo",
}

PID = template_document(
    "pid", "pid", "Travel permit", "旅行证件",
    keys=KEYS,
    confidence_scale=CONFIDENCE_WORD,
    deprecated="the vendor has withdrawn the travel-permit template (旅行证件识别 已废弃)",
)


lingyun_register_document_types = registering(PID)
