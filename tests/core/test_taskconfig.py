from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun import TaskConfig, TaskConfigError

# Printable ASCII without the two separators: everything the wire format can carry.
wire_text = st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=",="),
    min_size=1,
    max_size=20,
)


def test_parse_and_format_keep_order() -> None:
    header = "capkey=ocr.cloud.template,property=idcard,templateIndex=0,templatePageIndex=0"
    config = TaskConfig.parse(header)
    assert list(config) == ["capkey", "property", "templateIndex", "templatePageIndex"]
    assert config["property"] == "idcard"
    assert config.format() == header


def test_parse_tolerates_blanks_the_vendor_example_has() -> None:
    config = TaskConfig.parse("capkey=ocr.cloud,lang=chinese_cn, withPosition=1")
    assert config["withPosition"] == "1"
    assert str(config) == "capkey=ocr.cloud,lang=chinese_cn,withPosition=1"


def test_empty_header_is_empty() -> None:
    assert len(TaskConfig.parse("  ")) == 0


@given(st.lists(st.tuples(wire_text, st.text(
    alphabet=st.characters(min_codepoint=0x21, max_codepoint=0x7E, exclude_characters=",="),
    max_size=20,
)), max_size=8, unique_by=lambda kv: kv[0]))
def test_round_trip(pairs: list[tuple[str, str]]) -> None:
    config = TaskConfig(pairs)
    assert list(TaskConfig.parse(config.format()).items()) == pairs


@given(wire_text, st.sampled_from([",", "="]), wire_text)
def test_separator_in_value_names_the_key(key: str, sep: str, value: str) -> None:
    with pytest.raises(TaskConfigError) as info:
        TaskConfig({key: value + sep})
    assert info.value.key == key
    assert repr(key) in str(info.value)


@pytest.mark.parametrize("bad", ["名字", "a,b", "a=b", "tab\there", ""])
def test_bad_names_are_refused(bad: str) -> None:
    with pytest.raises(TaskConfigError):
        TaskConfig({bad: "1"})


def test_non_ascii_value_is_refused_with_key() -> None:
    with pytest.raises(TaskConfigError, match="'lang'.*not ASCII"):
        TaskConfig({"lang": "中文"})


def test_non_string_value_is_refused() -> None:
    with pytest.raises(TaskConfigError, match="must be a string"):
        TaskConfig({"templateIndex": 0})  # type: ignore[dict-item]


@pytest.mark.parametrize("header", ["capkey", "=x", "a=1,,b=2", "a=b=c"])
def test_malformed_headers_are_refused(header: str) -> None:
    with pytest.raises(TaskConfigError):
        TaskConfig.parse(header)


def test_case_insensitive_lookup() -> None:
    config = TaskConfig.parse("capKey=ocr.cloud,templatePageindex=1")
    assert config.get_ci("capkey") == "ocr.cloud"
    assert config.get_ci("TEMPLATEPAGEINDEX") == "1"
    assert config.get_ci("lang") is None
