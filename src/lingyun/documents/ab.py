"""Bank acceptance bill (银行承兑汇票). Confidences are percentages.

The amount in figures is checked against the amount in Chinese capitals; dates written in
capitals (``贰零壹伍年壹拾月零叁拾日``) are read as dates.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_PERCENT, template_document

FIELDS = [
    Field("serial", "序号", kinds.CODE),
    Field("bill_number", "票号", kinds.CODE, required=True),
    Field("issue_date", "出票日期", kinds.DATE, required=True),
    Field("issue_year", "年", help="the year of 出票日期 in capitals"),
    Field("issue_month", "月", help="the month of 出票日期 in capitals"),
    Field("issue_day", "日", help="the day of 出票日期 in capitals"),
    Field("payer_name", "付款人全称"),
    Field("payer_account", "付款人账号", kinds.CODE,
          validators=[v.pattern("ab.account", r"\d{6,32}", "an account number (digits)")]),
    Field("payer_bank", "付款人开户行"),
    Field("payee_name", "收款人全称"),
    Field("payee_account", "收款人账号", kinds.CODE,
          validators=[v.pattern("ab.account", r"\d{6,32}", "an account number (digits)")]),
    Field("payee_bank", "收款人开户行"),
    Field("amount_in_words", "出票金额大写", kinds.MONEY_WORDS, required=True),
    Field("amount", "出票金额小写", kinds.MONEY, required=True,
          validators=[v.amount_matches_words("amount_in_words")]),
    Field("due_date", "汇票到期日", kinds.DATE),
    Field("agreement_number", "承兑协议编号|交易合同号码", kinds.CODE),
    Field("bank_code", "行号", kinds.CODE,
          validators=[v.pattern("ab.bank_code", r"\d{12}", "a 12-digit bank code")]),
    Field("bank_address", "地址"),
]

AB = template_document(
    "ab", "ab", "Bank acceptance bill", "承兑汇票",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(AB)
