"""An example third-party lingyun plugin: a shop receipt template (收据).

Installed, it adds the document type ``acme.receipt``; ``lingyun types`` lists it with this
distribution, and ``client.recognize(image, "acme.receipt")`` returns a TemplateResult whose
fields answer to the English keys below.

The fields are declared with lingyun's kinds and validators -- the date is read in any
printed form, the amount in figures is checked against the amount in words -- plus one
check of ACME's own, :data:`receipt_number`, written with :func:`lingyun.fields.validator`.
A value that fails a check is still returned; ``result.issues`` says what failed.
"""

import re

from stdnum import luhn

from lingyun import hookimpl
from lingyun.documents.template import CONFIDENCE_PERCENT, template_document
from lingyun.fields import Field, kinds, validator
from lingyun.fields import validators as v


@validator("acme.receipt_number")
def receipt_number(value: str) -> str | None:
    """ACME receipt numbers: AC, seven digits and a Luhn check digit."""
    if not re.fullmatch(r"AC\d{8}", value):
        return f"{value!r} is not AC and eight digits"
    if not luhn.is_valid(value[2:]):
        return f"{value!r}: the last digit is not the Luhn check digit of the others"
    return None


RECEIPT = template_document(
    "acme.receipt",
    "receipt",
    "Shop receipt",
    "收据",
    fields=[
        Field("merchant", "商户名称", required=True),
        Field("receipt_number", "收据编号", kinds.CODE, validators=[receipt_number]),
        Field("date", "日期", kinds.DATE),
        Field("amount", "金额", kinds.MONEY, required=True,
              validators=[v.amount_matches_words("amount_in_words")]),
        Field("amount_in_words", "金额大写", kinds.MONEY_WORDS),
    ],
    confidence_scale=CONFIDENCE_PERCENT,
)


@hookimpl
def lingyun_register_document_types(register):
    register(RECEIPT)
