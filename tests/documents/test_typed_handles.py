"""The typed handles and name sets of :mod:`lingyun.types` tell the truth about the parsers."""

from __future__ import annotations

import pickle
import typing

import pytest

from lingyun import results, types
from lingyun.plugins import get_plugin_manager

from .conftest import example
from .test_vendor_examples import ALL_EXAMPLES

BUILT_IN = {d.name for d in get_plugin_manager().document_types()
            if not d.name.startswith("acme.")}
NAME_SETS = {types.TemplateName: results.TemplateResult,
             types.TextName: results.TextResult,
             types.BankCardName: results.BankCardResult,
             types.BizCardName: results.BizCardResult}


def test_every_built_in_type_has_a_handle_and_a_name_set() -> None:
    assert set(types.HANDLES) == BUILT_IN
    named = [name for literal in NAME_SETS for name in typing.get_args(literal)]
    assert sorted(named) == sorted(BUILT_IN)  # each name in exactly one set


@pytest.mark.parametrize("name", ALL_EXAMPLES)
def test_handle_and_name_set_promise_the_parsed_result_type(parse, name: str) -> None:
    result = parse(name, example(name))
    handle = types.HANDLES[name]
    assert type(result) is handle.result_type
    (promised,) = [cls for literal, cls in NAME_SETS.items() if name in typing.get_args(literal)]
    assert promised is handle.result_type


def test_a_handle_is_the_name() -> None:
    handle = types.DocumentName("acme.receipt", results.TemplateResult)
    assert handle == "acme.receipt" and isinstance(handle, str) and {handle: 1}["acme.receipt"]
    copy = pickle.loads(pickle.dumps(handle))
    assert copy == handle and copy.result_type is handle.result_type
    assert repr(types.IDCARD_FRONT) == "DocumentName('idcard.front', TemplateResult)"
