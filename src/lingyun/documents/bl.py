"""Business licence (营业执照). Confidences are on the 0..65280 scale.

The registration number is checked as a unified social credit code (18 characters) or an
older 15-digit registration number (ISO 7064 MOD 11-10); the registered capital is read
from Chinese capitals.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_WORD, template_document

FIELDS = [
    Field("reserved", "保留"),
    Field("registration_number", "号码", kinds.CODE, required=True,
          validators=[v.registration_number]),
    Field("company_name", "名称"),
    Field("company_type", "类型"),
    Field("domicile", "住所"),
    Field("legal_representative", "姓名"),
    Field("registered_capital", "注册资本", kinds.MONEY_WORDS),
    Field("established_date", "成立日期", kinds.DATE),
    Field("business_term", "营业期限", kinds.PERIOD),
    Field("business_scope", "经营范围"),
]

BL = template_document(
    "bl", "bl", "Business licence", "营业执照",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_WORD,
)


lingyun_register_document_types = registering(BL)
