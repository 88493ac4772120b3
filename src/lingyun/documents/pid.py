"""Travel permit (旅行证件, deprecated by the vendor). Confidences are on the 0..65280 scale.

The MRZ's check digits are checked, and its number, birth date and expiry date against the
printed ones.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_WORD, template_document

FIELDS = [
    Field("mrz", "MRZ", kinds.MRZ,
          validators=[v.mrz_permit, v.mrz_matches("number", "document_number"),
                      v.mrz_matches("birth_date", "birth_date"),
                      v.mrz_matches("expiry_date", "valid_period")]),
    Field("document_number", "证件号码", kinds.CODE, required=True),
    Field("name", "姓名"),
    Field("name_en", "Name"),
    Field("birth_date", "出生日期", kinds.DATE, validators=[v.not_in_future]),
    Field("sex", "性别", kinds.SEX),
    Field("valid_period", "有效期限", kinds.PERIOD),
    Field("issuing_authority", "签发机关"),
    Field("issue_place", "签发地点"),
    Field("photo", "头像", help="the photo's region; the service sends no text for it"),
]

PID = template_document(
    "pid", "pid", "Travel permit", "旅行证件",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_WORD,
    deprecated="the vendor has withdrawn the travel-permit template (旅行证件识别 已废弃)",
)


lingyun_register_document_types = registering(PID)
