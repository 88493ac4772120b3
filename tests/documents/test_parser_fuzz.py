"""Whatever JSON arrives, a parser returns a result or raises ProtocolError -- nothing else."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lingyun.errors import ProtocolError
from lingyun.results import Result

from .conftest import example
from .test_vendor_examples import ALL_EXAMPLES

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
    | st.text(max_size=6),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner,
                                                                  max_size=3),
    max_leaves=8,
)


def _paths(value: Any, prefix: tuple = ()) -> list[tuple]:
    """Every member/element path inside ``value``."""
    found = [prefix] if prefix else []
    if isinstance(value, dict):
        for key, child in value.items():
            found += _paths(child, (*prefix, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            found += _paths(child, (*prefix, index))
    return found


def _replace(envelope: dict[str, Any], path: tuple, value: Any) -> dict[str, Any]:
    mutated = copy.deepcopy(envelope)
    target = mutated
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return mutated


def _parses_or_protocol_error(parse, name: str, envelope: dict[str, Any]) -> None:
    try:
        result = parse(name, envelope)
    except ProtocolError as exc:
        assert str(exc)
        return
    assert Result.from_dict(json.loads(json.dumps(result.to_dict()))) == result


@pytest.mark.parametrize("name", ALL_EXAMPLES)
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_value_anywhere_in_a_vendor_example(parse, name: str, data: st.DataObject) -> None:
    envelope = example(name)
    path = data.draw(st.sampled_from(_paths(envelope["data"], ("data",))))
    replacement = data.draw(json_values)
    _parses_or_protocol_error(parse, name, _replace(envelope, path, replacement))


@pytest.mark.parametrize("name", ALL_EXAMPLES)
@settings(max_examples=25, deadline=None)
@given(data=json_values)
def test_any_data_member(parse, name: str, data: Any) -> None:
    _parses_or_protocol_error(parse, name, {"error": 0, "text": "请求成功", "data": data})
