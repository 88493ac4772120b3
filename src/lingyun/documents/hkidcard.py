"""Hong Kong identity card (香港身份证). Confidences are percentages.

The number's check digit is checked; dates are day first (``14-06-1990``, ``15-07-17``).
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_PERCENT, template_document

FIELDS = [
    Field("id_number", "身份证号码", kinds.HKID, required=True),
    Field("name", "姓名"),
    Field("name_en", "Name", kinds.TEXT, required=True),
    Field("sex", "性别", kinds.SEX),
    Field("telegraph_code", "电码", kinds.CODE,
          validators=[v.pattern("hkid.telegraph_code", r"(?:\d{4})+",
                                "Chinese commercial codes (four digits a character)")]),
    Field("birth_date", "出生日期", kinds.DATE, validators=[v.not_in_future]),
    Field("issue_date", "签发日期", kinds.DATE),
    Field("symbols", "代码", kinds.CODE),
    Field("photo", "头像", help="the photo's region; the service sends no text for it"),
]

HKIDCARD = template_document(
    "hkidcard", "hkidcard", "Hong Kong identity card", "香港身份证",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(HKIDCARD)
