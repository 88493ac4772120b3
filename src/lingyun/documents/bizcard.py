"""Business card (名片): items by machine key, optionally the cut-out card image.

Fields are declared by item: phones (``tel``, ``tel_cell``, ``fax``) are compacted and
checked, e-mail addresses and postal codes checked for shape.
"""

from functools import partial

from ..doctypes import DocumentType, Option, registering
from ..fields import Field, kinds
from ..fields import validators as v
from ..recognizers.bizcard import read_bizcard
from ..results import parse_bizcard

FIELDS = (
    Field("name", "姓名"),
    Field("title", "公司职务"),
    Field("department", "部门"),
    Field("company", "公司名称"),
    Field("adr", "地址"),
    Field("postalcode", "邮政编码", kinds.CODE,
          validators=[v.pattern("cn.postcode", r"\d{6}", "a six-digit postal code")]),
    Field("tel", "电话", kinds.PHONE),
    Field("tel_cell", "手机", kinds.PHONE),
    Field("fax", "传真", kinds.PHONE),
    Field("email", "电子邮件", kinds.EMAIL),
    Field("url", "网址", kinds.CODE, normalizers=[str.lower]),
    Field("memo", "备注"),
)

YES_NO = ("yes", "no")

BIZCARD = DocumentType(
    name="bizcard",
    title="Business card",
    title_zh="名片",
    task_config={"capkey": "ocr.cloud.bizcard"},
    parse=partial(parse_bizcard, document_type="bizcard", fields=FIELDS),
    fields=FIELDS,
    options=(
        Option("exportImage", bool, default=False, true_false=YES_NO,
               help="return the card image (result.image)"),
        Option("cutedge", bool, default=True, true_false=YES_NO,
               help="cut the card out of the background"),
        Option("outimagetype", str, default="bmp", choices=("bmp", "png", "jpg"),
               help="format of the exported image"),
        Option("need_score", bool, default=False, true_false=YES_NO,
               help="return confidences"),
    ),
    local_recognizer=read_bizcard,
)


lingyun_register_document_types = registering(BIZCARD)
