"""Vehicle licence (机动车行驶证). The service sends no coordinates for it."""

from ..doctypes import registering
from .template import template_document

KEYS = {
    "号牌号码": "plate_number",
    "车辆类型": "vehicle_type",
    "所有人": "owner",
    "住址": "address",
    "使用性质": "use_character",
    "品牌型号": "model",
    "车辆识别代号": "vin",
    "发动机号码": "engine_number",
    "注册日期": "register_date",
    "发证日期": "issue_date",
}

VLCARD = template_document(
    "vlcard", "vlcard", "Vehicle licence", "行驶证",
    keys=KEYS,
)


lingyun_register_document_types = registering(VLCARD)
