"""Motor-vehicle sales invoice (机动车销售统一发票). Confidences are percentages.

Checked: the total in figures against the total in words, price plus VAT against the total,
the VAT against price x rate, the VIN's check character, taxpayer numbers, the buyer's
resident ID or credit code.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from ..fields import validators as v
from .template import CONFIDENCE_PERCENT, template_document

BUYER_ID = v.one_of("vsi.buyer_id", v.resident_id, v.uscc)

FIELDS = [
    Field("invoice_code", "发票代码", kinds.CODE, required=True,
          validators=[v.pattern("vsi.invoice_code", r"\d{10,12}", "10 to 12 digits")]),
    Field("invoice_number", "发票号码", kinds.CODE, required=True,
          validators=[v.pattern("vsi.invoice_number", r"\d{8}", "8 digits")]),
    Field("issue_date", "开票日期", kinds.DATE, required=True),
    Field("printed_code", "机打代码", kinds.CODE,
          validators=[v.equals_field("vsi.printed_code", "invoice_code")]),
    Field("printed_number", "机打号码", kinds.CODE,
          validators=[v.equals_field("vsi.printed_number", "invoice_number")]),
    Field("machine_number", "机器编号", kinds.CODE),
    Field("tax_control_code", "税控码", kinds.CODE),
    Field("buyer", "购买方名称及身份证号码/组织机构代码"),
    Field("buyer_name", "名称"),
    Field("buyer_id_number", "号码", kinds.CODE, validators=[BUYER_ID]),
    Field("buyer_tax_id", "纳税人识别号（购买方）", kinds.CODE, validators=[v.tax_id]),
    Field("vehicle_type", "车辆类型"),
    Field("model", "厂牌型号"),
    Field("origin", "产地"),
    Field("certificate_number", "合格证号", kinds.CODE),
    Field("import_certificate_number", "进口证明书号", kinds.CODE),
    Field("inspection_number", "商检单号", kinds.CODE),
    Field("engine_number", "发动机号码", kinds.CODE),
    Field("vin", "车辆识别代号/车架号码", kinds.VIN, required=True),
    Field("total_in_words", "价税合计大写", kinds.MONEY_WORDS),
    Field("total", "价税合计小写", kinds.MONEY, required=True,
          validators=[v.amount_matches_words("total_in_words"),
                      v.sum_of("price_excluding_tax", "vat")]),
    Field("seller_name", "销货单位名称"),
    Field("seller_phone", "销售方电话", kinds.PHONE),
    Field("seller_tax_id", "纳税人识别号（销售方）", kinds.CODE, validators=[v.tax_id]),
    Field("seller_account", "销售方账号", kinds.CODE),
    Field("seller_address", "地址"),
    Field("seller_bank", "开户银行"),
    Field("vat_rate", "增值税税率", kinds.PERCENT),
    Field("vat", "增值税税额", kinds.MONEY,
          validators=[v.product_of("price_excluding_tax", "vat_rate")]),
    Field("tax_authority", "主管税务机关及代码"),
    Field("tax_authority_name", "机关名称"),
    Field("tax_authority_code", "机关代码", kinds.CODE),
    Field("price_excluding_tax", "不含税价", kinds.MONEY),
    Field("tonnage", "吨位", kinds.TEXT),
    Field("seating_capacity", "限乘人数", kinds.INTEGER),
]

VSI = template_document(
    "vsi", "vsi", "Motor-vehicle sales invoice", "机动车销售发票",
    fields=FIELDS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(VSI)
