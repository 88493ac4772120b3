"""Bank card (银行卡): the number with a box per digit, bank, card name and type.

The number is checked with Luhn (and against the per-digit characters).
"""

from functools import partial

from ..doctypes import DocumentType, registering
from ..fields import Field, kinds
from ..recognizers.bankcard import read_bankcard
from ..results import parse_bankcard

FIELDS = (
    Field("number", "卡号", kinds.CARD_NUMBER, required=True),
    Field("bank_name", "银行名称"),
    Field("bank_id", "银行代码", kinds.CODE),
    Field("card_name", "卡名"),
    Field("card_type", "卡类型"),
    Field("holder", "持卡人"),
    Field("valid_date", "有效期", kinds.CODE, help="as printed, usually MM/YY"),
)

BANKCARD = DocumentType(
    name="bankcard",
    title="Bank card",
    title_zh="银行卡",
    task_config={"capkey": "ocr.cloud.bankcard"},
    parse=partial(parse_bankcard, document_type="bankcard", fields=FIELDS),
    fields=FIELDS,
    local_recognizer=read_bankcard,
)


lingyun_register_document_types = registering(BANKCARD)
