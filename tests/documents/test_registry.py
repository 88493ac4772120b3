"""All sixteen capabilities of SPEC §3 are registered with their exact task-configs and options."""

from __future__ import annotations

import warnings

import pytest

from lingyun.errors import OptionError
from lingyun.plugins import get_plugin_manager

TEMPLATE = "capkey=ocr.cloud.template,property={},templateIndex=0,templatePageIndex={}"
SPEC_TABLE = {
    "idcard.front": TEMPLATE.format("idcard", 0),
    "idcard.back": TEMPLATE.format("idcard", 1),
    "vlcard": TEMPLATE.format("vlcard", 0),
    "dlcard": TEMPLATE.format("dlcard", 0),
    "vat": TEMPLATE.format("vat", 0),
    "text.chinese": "capkey=ocr.cloud,lang=chinese_cn",
    "text.english": "capkey=ocr.cloud.english,lang=english",
    "bankcard": "capkey=ocr.cloud.bankcard",
    "bizcard": "capkey=ocr.cloud.bizcard",
    "bl": TEMPLATE.format("bl", 0),
    "pid": TEMPLATE.format("pid", 0),
    "pcn": TEMPLATE.format("pcn", 0),
    "hkidcard": TEMPLATE.format("hkidcard", 0),
    "ab": TEMPLATE.format("ab", 0),
    "vsi": TEMPLATE.format("vsi", 0),
    "hm2": TEMPLATE.format("hm2", 0),
}


@pytest.mark.parametrize(("name", "task_config"), sorted(SPEC_TABLE.items()))
def test_builtin_task_config(name: str, task_config: str) -> None:
    pm = get_plugin_manager()
    doc = pm.document_type(name)
    assert doc.task_config.format() == task_config
    assert doc.title and doc.title_zh
    info = pm.plugin_for(name)
    assert info.builtin and info.name.startswith("lingyun.documents.")


def test_the_builtins_are_exactly_the_spec_table() -> None:
    pm = get_plugin_manager()
    builtin = [d.name for d in pm.document_types() if pm.plugin_for(d.name).builtin]
    assert sorted(builtin) == sorted(SPEC_TABLE) and len(builtin) == 16


def test_only_pid_is_deprecated() -> None:
    deprecated = {d.name for d in get_plugin_manager().document_types() if d.deprecated}
    assert deprecated == {"pid"}


@pytest.mark.parametrize(
    ("name", "options", "expected"),
    [
        ("text.chinese", {"withPosition": True}, "capkey=ocr.cloud,lang=chinese_cn,withPosition=1"),
        ("text.english", {"withPosition": "0"},
         "capkey=ocr.cloud.english,lang=english,withPosition=0"),
        ("bizcard", {"exportImage": True, "outimagetype": "png", "need_score": "yes"},
         "capkey=ocr.cloud.bizcard,exportImage=yes,outimagetype=png,need_score=yes"),
        ("bizcard", {"cutedge": False}, "capkey=ocr.cloud.bizcard,cutedge=no"),
    ],
)
def test_options_reach_the_task_config(name: str, options: dict, expected: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert get_plugin_manager().document_type(name).build_task_config(options).format() == (
            expected)


@pytest.mark.parametrize(
    ("name", "options", "message"),
    [
        ("bizcard", {"outimagetype": "gif"}, "does not allow 'gif'"),
        ("bizcard", {"exportImage": "maybe"}, "yes/no"),
        ("text.chinese", {"withPosition": 2}, "yes/no"),
        ("idcard.front", {"withPosition": 1}, "unknown option 'withPosition'"),
    ],
)
def test_bad_options_are_refused(name: str, options: dict, message: str) -> None:
    with pytest.raises(OptionError, match=message) as info:
        get_plugin_manager().document_type(name).build_task_config(options)
    assert info.value.document_type == name
