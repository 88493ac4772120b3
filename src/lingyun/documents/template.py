"""The one factory behind every template document (``capkey=ocr.cloud.template``).

Third-party templates use it too, declaring their fields with the same kinds and
validators as the built-in ones (and their own, see :func:`lingyun.fields.validator`)::

    from lingyun.fields import Field, kinds, validators

    register(template_document(
        "acme.receipt", "receipt", "Receipt", "收据",
        fields=[
            Field("merchant", "商户名称", required=True),
            Field("date", "日期", kinds.DATE),
            Field("amount", "金额", kinds.MONEY,
                  validators=[validators.amount_matches_words("amount_in_words")]),
            Field("amount_in_words", "金额大写", kinds.MONEY_WORDS),
        ],
    ))

``keys={"金额": "amount"}`` is a shorthand for text fields without checks.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Mapping

from ..doctypes import DocumentType, LocalRecognizer, Parser
from ..errors import UsageError
from ..fields import Field, fields_from_keys
from ..protocol import Reply
from ..results import TemplateResult, parse_template

__all__ = ["CONFIDENCE_PERCENT", "CONFIDENCE_WORD", "template_document", "template_parser"]

#: Confidence scale 0..65280 (255 * 256) used by bl, pid and pcn.
CONFIDENCE_WORD = 65280
#: Confidence scale 0..100 used by hkidcard, ab, vsi and hm2.
CONFIDENCE_PERCENT = 100


def template_parser(
    document_type: str, fields: Iterable[Field], confidence_scale: int | None = None
) -> Parser:
    """A parser turning a template reply into a :class:`~lingyun.results.TemplateResult`
    whose fields are normalized and checked against ``fields``."""
    declared = tuple(fields)

    def parse(reply: Reply) -> TemplateResult:
        return parse_template(reply, document_type, declared, confidence_scale)

    return parse


def template_document(
    name: str,
    property: str,
    title: str,
    title_zh: str,
    *,
    fields: Iterable[Field] | None = None,
    keys: Mapping[str, str] | None = None,
    template_index: int = 0,
    page_index: int = 0,
    confidence_scale: int | None = None,
    deprecated: str | None = None,
    description: str = "",
    local_recognizer: LocalRecognizer | None = None,
    local_recogniser: LocalRecognizer | None = None,
) -> DocumentType:
    """A :class:`~lingyun.DocumentType` for one page of one template.

    ``local_recognizer`` lets the local service read it offline (:mod:`lingyun.recognizers`;
    ``local_recogniser=`` is its deprecated spelling).  Give ``fields`` (declarations) or
    ``keys`` (``{service name: key}``, text fields), not both.
    """
    if local_recogniser is not None:
        warnings.warn("template_document(local_recogniser=...) is deprecated: use "
                      "local_recognizer=", DeprecationWarning, stacklevel=2)
        local_recognizer = local_recognizer or local_recogniser
    if (fields is None) == (keys is None):
        raise UsageError(f"{name}: give fields= or keys= (exactly one)")
    declared = tuple(fields) if fields is not None else fields_from_keys(keys or {})
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
        parse=template_parser(name, declared, confidence_scale),
        deprecated=deprecated,
        description=description,
        fields=declared,
        local_recognizer=local_recognizer,
    )
