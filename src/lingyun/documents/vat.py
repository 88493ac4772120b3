"""VAT invoice (增值税发票). The service sends no coordinates for it."""

from ..doctypes import registering
from .template import template_document

KEYS = {
    "序号": "serial",
    "编号": "invoice_number",
    "日期": "date",
    "密码区": "cipher",
    "税率": "tax_rate",
    "金额": "amount",
    "税额": "tax",
    "总额": "total",
    "购货单位名称": "buyer_name",
    "购货单位纳税人识别号": "buyer_tax_id",
    "购货单位开户行及帐号": "buyer_bank_account",
    "销货单位名称": "seller_name",
    "销货单位纳税人识别号": "seller_tax_id",
    "销货单位开户行及帐号": "seller_bank_account",
}

VAT = template_document(
    "vat", "vat", "VAT invoice", "增值税发票",
    keys=KEYS,
)


lingyun_register_document_types = registering(VAT)
