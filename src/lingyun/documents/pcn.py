"""Chinese passport (中国护照). Confidences are on the 0..65280 scale."""

from ..doctypes import registering
from .template import CONFIDENCE_WORD, template_document

KEYS = {
    "MRZ1": "mrz1",
    "MRZ2": "mrz2",
    "证件号码": "passport_number",
    "姓名": "name",
    "Name": "name_en",
    "性别": "sex",
    "出生地点": "birth_place",
    "签发地点": "issue_place",
    "出生日期": "birth_date",
    "签发日期": "issue_date",
    "有效期至": "expiry_date",
    "签发机关": "issuing_authority",
    "国籍代码": "nationality_code",
    "头像": "photo",
}

PCN = template_document(
    "pcn", "pcn", "Chinese passport", "中国护照",
    keys=KEYS,
    confidence_scale=CONFIDENCE_WORD,
)


lingyun_register_document_types = registering(PCN)
