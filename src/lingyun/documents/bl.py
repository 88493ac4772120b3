"""Business licence (营业执照). Confidences are on the 0..65280 scale."""

from ..doctypes import registering
from .template import CONFIDENCE_WORD, template_document

KEYS = {
    "保留": "reserved",
    "号码": "registration_number",
    "名称": "company_name",
    "类型": "company_type",
    "住所": "domicile",
    "姓名": "legal_representative",
    "注册资本": "registered_capital",
    "成立日期": "established_date",
    "营业期限": "business_term",
    "经营范围": "business_scope",
}

BL = template_document(
    "bl", "bl", "Business licence", "营业执照",
    keys=KEYS,
    confidence_scale=CONFIDENCE_WORD,
)


lingyun_register_document_types = registering(BL)
