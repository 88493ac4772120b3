"""Chinese passport (中国护照). Confidences are on the 0..65280 scale.

The second MRZ line's check digits (ICAO 9303) are checked, and its number, birth date and
expiry date against the printed ones.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_WORD, template_document

FIELDS = [
    Field("mrz1", "MRZ1", kinds.MRZ,
          validators=[v.pattern("mrz.td3_line1", r"P[A-Z<][A-Z<]{3}[A-Z<]{39}",
                                "a passport's first MRZ line (P, type, country, name; 44)")]),
    Field("mrz2", "MRZ2", kinds.MRZ,
          validators=[v.mrz_passport, v.mrz_matches("number", "passport_number"),
                      v.mrz_matches("birth_date", "birth_date"),
                      v.mrz_matches("expiry_date", "expiry_date")]),
    Field("passport_number", "证件号码", kinds.CODE, required=True,
          validators=[v.pattern("pcn.passport_number", r"[EGDSP][A-Z0-9]\d{7}|[EG]\d{8}",
                                "a Chinese passport number (E, G, D, S or P and 8 more)")]),
    Field("name", "姓名"),
    Field("name_en", "Name"),
    Field("sex", "性别", kinds.SEX),
    Field("birth_place", "出生地点"),
    Field("issue_place", "签发地点"),
    Field("birth_date", "出生日期", kinds.DATE, validators=[v.not_in_future]),
    Field("issue_date", "签发日期", kinds.DATE),
    Field("expiry_date", "有效期至", kinds.DATE),
    Field("issuing_authority", "签发机关"),
    Field("nationality_code", "国籍代码", kinds.CODE,
          validators=[v.pattern("pcn.nationality", r"[A-Z]{3}", "a three-letter country code")]),
    Field("photo", "头像", help="the photo's region; the service sends no text for it"),
]

PCN = template_document(
    "pcn", "pcn", "Chinese passport", "中国护照",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_WORD,
)


lingyun_register_document_types = registering(PCN)
