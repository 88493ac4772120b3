"""VAT invoice (增值税发票). The service sends no coordinates for it.

Checked: amount plus tax against the total, the tax against amount x rate, taxpayer numbers.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import template_document

FIELDS = [
    Field("serial", "序号", kinds.CODE),
    Field("invoice_number", "编号", kinds.CODE, required=True),
    Field("date", "日期", kinds.DATE, required=True),
    Field("cipher", "密码区", kinds.CODE),
    Field("tax_rate", "税率", kinds.PERCENT),
    Field("amount", "金额", kinds.MONEY),
    Field("tax", "税额", kinds.MONEY, validators=[v.product_of("amount", "tax_rate")]),
    Field("total", "总额", kinds.MONEY, required=True,
          validators=[v.sum_of("amount", "tax")]),
    Field("buyer_name", "购货单位名称"),
    Field("buyer_tax_id", "购货单位纳税人识别号", kinds.CODE, validators=[v.tax_id]),
    Field("buyer_bank_account", "购货单位开户行及帐号"),
    Field("seller_name", "销货单位名称"),
    Field("seller_tax_id", "销货单位纳税人识别号", kinds.CODE, validators=[v.tax_id]),
    Field("seller_bank_account", "销货单位开户行及帐号"),
]

VAT = template_document(
    "vat", "vat", "VAT invoice", "增值税发票",
    fields=FIELDS,
)


lingyun_register_document_types = registering(VAT)
