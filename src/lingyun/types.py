"""Typed handles for document types: a name that also says which result it gives.

A type checker cannot see which result class a registry lookup by name returns, so
:meth:`lingyun.Client.recognize` is typed two ways:

* **by name**, for the built-in types: ``client.recognize(path, "idcard.front")`` is a
  :class:`~lingyun.results.TemplateResult`, ``"text.chinese"`` a
  :class:`~lingyun.results.TextResult`, ``"bankcard"`` a
  :class:`~lingyun.results.BankCardResult` and ``"bizcard"`` a
  :class:`~lingyun.results.BizCardResult` (the name sets below, as ``Literal`` types);
  any other ``str`` gives the abstract :class:`~lingyun.results.Result`;
* **by handle**, for every type including a plugin's: a :class:`DocumentName` is a ``str``
  (so it works wherever a name does, at run time too) that carries its result class::

      import lingyun
      from lingyun.types import IDCARD_FRONT, DocumentName
      from lingyun.results import TemplateResult

      card = client.recognize("id.jpg", IDCARD_FRONT)      # TemplateResult
      RECEIPT = DocumentName("acme.receipt", TemplateResult)  # a plugin's own handle
      receipt = client.recognize("r.jpg", RECEIPT)          # TemplateResult

A handle is a promise the type checker trusts: ``tests/documents/test_typed_handles.py``
checks every built-in one against the parser registered under its name.
"""

from __future__ import annotations

from typing import Generic, Literal, TypeVar

from .results import BankCardResult, BizCardResult, Result, TemplateResult, TextResult

__all__ = [
    "AB",
    "BANKCARD",
    "BIZCARD",
    "BL",
    "DLCARD",
    "HANDLES",
    "HKIDCARD",
    "HM2",
    "IDCARD_BACK",
    "IDCARD_FRONT",
    "PCN",
    "PID",
    "TEXT_CHINESE",
    "TEXT_ENGLISH",
    "VAT",
    "VLCARD",
    "VSI",
    "BankCardName",
    "BizCardName",
    "DocumentName",
    "ResultT",
    "TemplateName",
    "TextName",
]

R_co = TypeVar("R_co", bound=Result, covariant=True)
#: The result class a handle promises, in the signatures that take a handle.
ResultT = TypeVar("ResultT", bound=Result)


class DocumentName(str, Generic[R_co]):
    """A document type's name (a ``str``) typed with the result class it is parsed into."""

    __slots__ = ("result_type",)
    result_type: type[R_co]

    def __new__(cls, name: str, result_type: type[R_co]) -> DocumentName[R_co]:
        self = super().__new__(cls, name)
        self.result_type = result_type
        return self

    def __repr__(self) -> str:
        return f"DocumentName({str(self)!r}, {self.result_type.__name__})"

    def __reduce__(self) -> tuple[type[DocumentName[R_co]], tuple[str, type[R_co]]]:
        return (type(self), (str(self), self.result_type))


#: The built-in template documents (``capkey=ocr.cloud.template``).
TemplateName = Literal["idcard.front", "idcard.back", "vlcard", "dlcard", "vat", "bl", "pid",
                       "pcn", "hkidcard", "ab", "vsi", "hm2"]
#: The built-in text documents.
TextName = Literal["text.chinese", "text.english"]
BankCardName = Literal["bankcard"]
BizCardName = Literal["bizcard"]

IDCARD_FRONT = DocumentName("idcard.front", TemplateResult)
IDCARD_BACK = DocumentName("idcard.back", TemplateResult)
VLCARD = DocumentName("vlcard", TemplateResult)
DLCARD = DocumentName("dlcard", TemplateResult)
VAT = DocumentName("vat", TemplateResult)
BL = DocumentName("bl", TemplateResult)
PID = DocumentName("pid", TemplateResult)
PCN = DocumentName("pcn", TemplateResult)
HKIDCARD = DocumentName("hkidcard", TemplateResult)
AB = DocumentName("ab", TemplateResult)
VSI = DocumentName("vsi", TemplateResult)
HM2 = DocumentName("hm2", TemplateResult)
TEXT_CHINESE = DocumentName("text.chinese", TextResult)
TEXT_ENGLISH = DocumentName("text.english", TextResult)
BANKCARD = DocumentName("bankcard", BankCardResult)
BIZCARD = DocumentName("bizcard", BizCardResult)

#: Every built-in handle, by name.
HANDLES: dict[str, DocumentName[Result]] = {
    str(h): h for h in (IDCARD_FRONT, IDCARD_BACK, VLCARD, DLCARD, VAT, BL, PID, PCN, HKIDCARD,
                        AB, VSI, HM2, TEXT_CHINESE, TEXT_ENGLISH, BANKCARD, BIZCARD)
}
