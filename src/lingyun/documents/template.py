"""The one factory behind every template document (``capkey=ocr.cloud.template``).

Third-party templates use it too::

    register(template_document("acme.receipt", "receipt", "Receipt", "收据",
                               keys={"金额": "amount"}))
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from ..doctypes import DocumentType, Parser
from ..results import TemplateResult, parse_template
from ..transport import Reply

if TYPE_CHECKING:
    from ..recognisers.page import Page

__all__ = ["CONFIDENCE_PERCENT", "CONFIDENCE_WORD", "template_document", "template_parser"]

#: Confidence scale 0..65280 (255 * 256) used by bl, pid and pcn.
CONFIDENCE_WORD = 65280
#: Confidence scale 0..100 used by hkidcard, ab, vsi and hm2.
CONFIDENCE_PERCENT = 100


def template_parser(
    document_type: str, keys: Mapping[str, str], confidence_scale: int | None = None
) -> Parser:
    """A parser turning a template reply into a :class:`~lingyun.results.TemplateResult`."""
    frozen_keys = dict(keys)

    def parse(reply: Reply) -> TemplateResult:
        return parse_template(reply, document_type, frozen_keys, confidence_scale)

    return parse


def template_document(
    name: str,
    property: str,
    title: str,
    title_zh: str,
    *,
    keys: Mapping[str, str],
    template_index: int = 0,
    page_index: int = 0,
    confidence_scale: int | None = None,
    deprecated: str | None = None,
    description: str = "",
    local_recogniser: Callable[[Page], dict[str, Any]] | None = None,
) -> DocumentType:
    """A :class:`~lingyun.DocumentType` for one page of one template.

    ``local_recogniser`` lets the local service read it offline (:mod:`lingyun.recognisers`).
    """
    return DocumentType(
        name=name,
        title=title,
        title_zh=title_zh,
        task_config={
            "capkey": "ocr.cloud.template",
            "property": property,
            "templateIndex": str(template_index),
            "templatePageIndex": str(page_index),
        },
        parse=template_parser(name, keys, confidence_scale),
        keys=dict(keys),
        deprecated=deprecated,
        description=description,
        local_recogniser=local_recogniser,
    )
