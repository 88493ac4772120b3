"""Bank card (银行卡): the number with a box per digit, bank, card name and type."""

from functools import partial

from ..doctypes import DocumentType, registering
from ..recognisers.bankcard import read_bankcard
from ..results import parse_bankcard

BANKCARD = DocumentType(
    name="bankcard",
    title="Bank card",
    title_zh="银行卡",
    task_config={"capkey": "ocr.cloud.bankcard"},
    parse=partial(parse_bankcard, document_type="bankcard"),
    local_recogniser=read_bankcard,
)


lingyun_register_document_types = registering(BANKCARD)
