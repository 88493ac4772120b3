"""Vehicle licence (机动车行驶证). The service sends no coordinates for it.

The VIN's check character is checked; full-width letters and digits (as in the vendor's
example) are folded to ASCII in codes, the VIN and dates.
"""

from ..doctypes import registering
from ..fields import Field, kinds
from .template import template_document

FIELDS = [
    Field("plate_number", "号牌号码", kinds.CODE, required=True),
    Field("vehicle_type", "车辆类型"),
    Field("owner", "所有人"),
    Field("address", "住址"),
    Field("use_character", "使用性质"),
    Field("model", "品牌型号"),
    Field("vin", "车辆识别代号", kinds.VIN, required=True),
    Field("engine_number", "发动机号码", kinds.CODE),
    Field("register_date", "注册日期", kinds.DATE),
    Field("issue_date", "发证日期", kinds.DATE),
]

VLCARD = template_document(
    "vlcard", "vlcard", "Vehicle licence", "行驶证",
    fields=FIELDS,
)


lingyun_register_document_types = registering(VLCARD)
