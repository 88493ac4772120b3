"""An example third-party lingyun plugin: a shop receipt template (收据).

Installed, it adds the document type ``acme.receipt``; ``lingyun types`` lists it with this
distribution, and ``client.recognize(image, "acme.receipt")`` returns a TemplateResult whose
fields answer to the English keys below.
"""

from lingyun import hookimpl
from lingyun.documents.template import CONFIDENCE_PERCENT, template_document

RECEIPT = template_document(
    "acme.receipt",
    "receipt",
    "Shop receipt",
    "收据",
    keys={"商户名称": "merchant", "日期": "date", "金额": "amount"},
    confidence_scale=CONFIDENCE_PERCENT,
)


@hookimpl
def lingyun_register_document_types(register):
    register(RECEIPT)
