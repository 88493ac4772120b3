"""Bank acceptance bill (银行承兑汇票). Confidences are percentages."""

from ..doctypes import registering
from .template import CONFIDENCE_PERCENT, template_document

KEYS = {
    "序号": "serial",
    "票号": "bill_number",
    "出票日期": "issue_date",
    "年": "issue_year",
    "月": "issue_month",
    "日": "issue_day",
    "付款人全称": "payer_name",
    "付款人账号": "payer_account",
    "付款人开户行": "payer_bank",
    "收款人全称": "payee_name",
    "收款人账号": "payee_account",
    "收款人开户行": "payee_bank",
    "出票金额大写": "amount_in_words",
    "出票金额小写": "amount",
    "汇票到期日": "due_date",
    "承兑协议编号|交易合同号码": "agreement_number",
    "行号": "bank_code",
    "地址": "bank_address",
}

AB = template_document(
    "ab", "ab", "Bank acceptance bill", "承兑汇票",
    keys=KEYS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(AB)
