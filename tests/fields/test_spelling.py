"""One spelling (American -ize) for public names; the earlier -ise names still work and warn."""

from __future__ import annotations

import importlib
import sys

import pytest

from lingyun.doctypes import DocumentType
from lingyun.fields import Field, kinds, normalizers, validators


def test_field_takes_lists_and_keeps_tuples() -> None:
    three = validators.length(3)
    field = Field("n", "号", kinds.TEXT, validators=[three], normalizers=[str.upper])
    assert field.validators == (three,) and field.normalizers == (str.upper,)
    assert hash(field) == hash(Field("n", "号", kinds.TEXT, validators=(three,),
                                     normalizers=(str.upper,)))
    assert field.describe()["normalizers"] == ["upper"]


def test_field_normalisers_keyword_is_a_deprecated_alias() -> None:
    with pytest.warns(DeprecationWarning, match="normalizers="):
        field = Field("n", "号", normalisers=[str.upper])
    assert field.normalizers == (str.upper,)
    with pytest.warns(DeprecationWarning, match="Field.normalizers"):
        assert field.normalisers == (str.upper,)


def test_field_refuses_what_is_not_a_check() -> None:
    from lingyun.errors import UsageError

    with pytest.raises(UsageError, match="field 'n': normalizers must be callables"):
        Field("n", "号", normalizers=["upper"])  # type: ignore[list-item]
    with pytest.raises(UsageError, match="field 'n': validators must be"):
        Field("n", "号", validators=[str.upper])  # type: ignore[list-item]


def test_normalisers_module_is_a_deprecated_alias() -> None:
    sys.modules.pop("lingyun.fields.normalisers", None)
    with pytest.warns(DeprecationWarning, match=r"lingyun\.fields\.normalizers"):
        old = importlib.import_module("lingyun.fields.normalisers")
    assert old is normalizers and old.fold_fullwidth is normalizers.fold_fullwidth


def _parse(reply: object) -> object:
    raise AssertionError("not called")


def test_document_type_local_recogniser_is_a_deprecated_alias() -> None:
    def read(page: object) -> dict[str, object]:
        return {}

    with pytest.warns(DeprecationWarning, match="local_recognizer="):
        doc = DocumentType("x.y", "X", "甲", {"capkey": "ocr.cloud"}, _parse,  # type: ignore[arg-type]
                           local_recogniser=read)
    assert doc.local_recognizer is read and doc.describe()["local_recognizer"] is True
    with pytest.warns(DeprecationWarning, match="local_recognizer"):
        assert doc.local_recogniser is read


def test_document_type_takes_a_mapping_and_lists() -> None:
    from lingyun.taskconfig import TaskConfig

    doc = DocumentType("x.y", "X", "甲", {"capkey": "ocr.cloud"}, _parse,  # type: ignore[arg-type]
                       fields=[Field("a", "甲")])
    assert isinstance(doc.task_config, TaskConfig) and str(doc.task_config) == "capkey=ocr.cloud"
    assert doc.fields == (Field("a", "甲"),) and doc.keys == {"甲": "a"}


def test_the_recognisers_package_is_a_deprecated_alias_of_the_same_modules() -> None:
    import sys

    for name in [n for n in sys.modules if n.startswith("lingyun.recognisers")]:
        del sys.modules[name]
    with pytest.warns(DeprecationWarning, match="lingyun.recognizers"):
        import lingyun.recognisers as old
    from lingyun.recognisers.page import Page as OldPage

    import lingyun.recognizers
    from lingyun.recognizers.page import Page

    assert old is lingyun.recognizers
    assert OldPage is Page
