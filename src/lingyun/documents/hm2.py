"""Home-return permit (港澳居民来往内地通行证, 回乡证). Confidences are percentages."""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_PERCENT, template_document

FIELDS = [
    Field("permit_number", "证件号码", kinds.CODE, required=True,
          validators=[v.pattern("hm2.permit_number", r"[HM]\d{8}(?:\d{2})?",
                                "H or M and 8 or 10 digits")]),
    Field("id_number", "身份证号码", kinds.CODE,
          help="the holder's Hong Kong or Macau identity card number"),
    Field("name", "姓名"),
    Field("name_en", "Name"),
    Field("sex", "性别", kinds.SEX),
    Field("birth_date", "出生日期", kinds.DATE, validators=[v.not_in_future]),
    Field("issue_date", "签发日期", kinds.DATE),
    Field("valid_period", "有效期限", kinds.PERIOD),
    Field("photo", "头像", help="the photo's region; the service sends no text for it"),
]

HM2 = template_document(
    "hm2", "hm2", "Home-return permit", "回乡证",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(HM2)
