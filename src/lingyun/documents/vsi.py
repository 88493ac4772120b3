"""Motor-vehicle sales invoice (机动车销售统一发票). Confidences are percentages."""

from ..doctypes import registering
from .template import CONFIDENCE_PERCENT, template_document

KEYS = {
    "发票代码": "invoice_code",
    "发票号码": "invoice_number",
    "开票日期": "issue_date",
    "机打代码": "printed_code",
    "机打号码": "printed_number",
    "机器编号": "machine_number",
    "税控码": "tax_control_code",
    "购买方名称及身份证号码/组织机构代码": "buyer",
    "名称": "buyer_name",
    "号码": "buyer_id_number",
    "纳税人识别号（购买方）": "buyer_tax_id",
    "车辆类型": "vehicle_type",
    "厂牌型号": "model",
    "产地": "origin",
    "合格证号": "certificate_number",
    "进口证明书号": "import_certificate_number",
    "商检单号": "inspection_number",
    "发动机号码": "engine_number",
    "车辆识别代号/车架号码": "vin",
    "价税合计大写": "total_in_words",
    "价税合计小写": "total",
    "销货单位名称": "seller_name",
    "销售方电话": "seller_phone",
    "纳税人识别号（销售方）": "seller_tax_id",
    "销售方账号": "seller_account",
    "地址": "seller_address",
    "开户银行": "seller_bank",
    "增值税税率": "vat_rate",
    "增值税税额": "vat",
    "主管税务机关及代码": "tax_authority",
    "机关名称": "tax_authority_name",
    "机关代码": "tax_authority_code",
    "不含税价": "price_excluding_tax",
    "吨位": "tonnage",
    "限乘人数": "seating_capacity",
}

VSI = template_document(
    "vsi", "vsi", "Motor-vehicle sales invoice", "机动车销售发票",
    keys=KEYS,
    confidence_scale=CONFIDENCE_PERCENT,
)


lingyun_register_document_types = registering(VSI)
