"""docs/documents.md is the generator's output for the current registry, so it cannot drift."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from lingyun.plugins import get_plugin_manager

ROOT = Path(__file__).resolve().parents[2]


def test_documents_doc_is_up_to_date() -> None:
    spec = importlib.util.spec_from_file_location(
        "gen_documents_doc", ROOT / "scripts" / "gen_documents_doc.py"
    )
    assert spec is not None and spec.loader is not None
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    expected = generator.render(get_plugin_manager())
    committed = (ROOT / "docs" / "documents.md").read_text(encoding="utf-8")
    assert committed == expected, "run: PYTHONPATH=src python scripts/gen_documents_doc.py"
    for name in ("idcard.front", "text.english", "bizcard", "hm2"):
        assert f"| `{name}` |" in committed
