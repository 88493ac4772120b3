"""The documentation site stays whole: every page is reachable, every public module documented.

``mkdocs build --strict`` (run by ``.ci/docs``) catches broken links and references; these
tests catch what a build cannot see — a page or a module added later and forgotten — and
exercise the two pieces of code the build relies on (``scripts/docsite/``) without needing the
documentation tools installed.
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given
from hypothesis import strategies as st

import lingyun
from lingyun.cli import build_parser

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PACKAGE = ROOT / "src" / "lingyun"
MKDOCS_YML = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")

#: Modules documented somewhere other than the API reference, and why.
DOCUMENTED_ELSEWHERE = {
    "lingyun.__main__": "`python -m lingyun` is the CLI (docs/cli.md)",
    "lingyun.cli": "the command line is documented by its help texts (docs/cli.md)",
    "lingyun.fields.normalisers": "the deprecated spelling of lingyun.fields.normalizers, "
    "which is the same module object",
    "lingyun.recognisers": "the deprecated spelling of lingyun.recognizers, which is the same "
    "module object (and its submodules too)",
    "lingyun.documents.*": "each built-in document type is a row of docs/documents.md, "
    "generated from the registry; only documents.template is API",
}


def _load(path: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[path.stem] = module
    spec.loader.exec_module(module)
    return module


rst_markdown = _load(ROOT / "scripts" / "docsite" / "rst_markdown.py")
hooks = _load(ROOT / "scripts" / "docsite" / "hooks.py")


def _nav_pages() -> list[str]:
    nav = MKDOCS_YML[MKDOCS_YML.index("\nnav:"):]
    return re.findall(r"^\s*-\s*(?:[^:\n]+:\s*)?([\w./-]+\.md)\s*$", nav, re.MULTILINE)


def _modules(*, private: bool = False) -> set[str]:
    found = set()
    for path in PACKAGE.rglob("*.py"):
        parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        if not all((PACKAGE.parent / Path(*parts[:i])).joinpath("__init__.py").exists()
                   for i in range(1, len(parts))):
            continue  # a data directory, not a package
        if not private and any(part.startswith("_") for part in parts[1:]):
            continue
        found.add(".".join(parts))
    return found


def _public_modules() -> set[str]:
    return _modules()


def _rendered_modules() -> set[str]:
    rendered = set()
    for page in (DOCS / "api").glob("*.md"):
        rendered |= set(re.findall(r"^::: ([\w.]+)\s*$", page.read_text(encoding="utf-8"),
                                   re.MULTILINE))
    return rendered


def _exempt(module: str) -> bool:
    if module in DOCUMENTED_ELSEWHERE:
        return True
    if module == "lingyun.cli" or module.startswith("lingyun.cli."):
        return True
    return module.startswith("lingyun.documents.") and module != "lingyun.documents.template"


# -- the site's structure ----------------------------------------------------------------------

def test_every_page_is_in_the_nav() -> None:
    pages = {p.relative_to(DOCS).as_posix() for p in DOCS.rglob("*.md")}
    missing = sorted(pages - set(_nav_pages()))
    assert not missing, f"add these pages to `nav:` in mkdocs.yml: {missing}"


def test_every_nav_entry_is_a_page() -> None:
    nav = _nav_pages()
    assert "index.md" in nav and "operations.md" in nav and "plugin-guide.md" in nav
    absent = [page for page in nav if not (DOCS / page).is_file()]
    assert not absent, f"mkdocs.yml lists pages that do not exist: {absent}"
    assert len(nav) == len(set(nav)), "a page is listed twice in the nav"


def test_every_public_module_has_a_reference_page() -> None:
    modules = _public_modules()
    # The discovery itself must see the package, or this test would pass vacuously.
    assert {"lingyun", "lingyun.client", "lingyun.iread.layout", "lingyun.service.core"} <= modules
    missing = sorted(m for m in modules - _rendered_modules() if not _exempt(m))
    assert not missing, (
        f"public modules without an API reference: {missing}; add `::: module` to a page "
        "under docs/api/ (or to DOCUMENTED_ELSEWHERE in this test, with the reason)"
    )


def test_reference_pages_render_only_existing_modules() -> None:
    # A private module may be rendered on purpose (docstrings point at its decisions).
    stale = sorted(_rendered_modules() - _modules(private=True))
    assert not stale, f"docs/api/ renders modules that do not exist: {stale}"


def test_the_package_page_names_every_export() -> None:
    page = (DOCS / "api" / "lingyun.md").read_text(encoding="utf-8")
    missing = [name for name in lingyun.__all__ if f"`{name}`" not in page]
    assert not missing, f"docs/api/lingyun.md does not mention {missing}"


def test_the_build_tools_named_in_mkdocs_yml_exist() -> None:
    for path in re.findall(r"^\s*-\s*(scripts/[\w/]+\.py)\s*$", MKDOCS_YML, re.MULTILINE):
        assert (ROOT / path).is_file(), path
    assert "strict: true" in MKDOCS_YML
    assert (ROOT / ".ci" / "docs").is_file()


def test_readme_points_at_the_site() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## Documentation"):]
    assert "mkdocs serve" in section and "mkdocs build" in section


# -- CLI help blocks -------------------------------------------------------------------------

def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_cli_page_shows_the_help_of_every_command() -> None:
    page = (DOCS / "cli.md").read_text(encoding="utf-8")
    shown = {m.group("command") for m in hooks.MARKER.finditer(page)}
    assert shown == {None, *_subcommands()}, "docs/cli.md needs one help marker per command"


def test_help_markers_expand_to_the_parsers_help() -> None:
    page = "intro\n<!-- lingyun-help: ocr -->\nmiddle\n<!-- lingyun-help -->\nend\n"
    expanded = hooks.expand_cli_help(page)
    assert "<!--" not in expanded
    assert expanded.startswith("intro\n```text\nusage: lingyun ocr")
    for action in _subcommands()["ocr"]._actions:
        for flag in action.option_strings:
            assert flag in expanded, flag
    assert "usage: lingyun [-h]" in expanded and expanded.endswith("```\nend\n")


def test_a_marker_for_an_unknown_command_fails() -> None:
    with pytest.raises(hooks.UnknownCommand, match="'nosuch'.*ocr"):
        hooks.expand_cli_help("<!-- lingyun-help: nosuch -->\n")


# -- reST docstrings into Markdown -----------------------------------------------------------

KNOWN = {"Client": "lingyun.client.Client", "lingyun.TaskConfig": "lingyun.taskconfig.TaskConfig",
         ".core": "lingyun.service.core", "Result.to_dict": "lingyun.results.base.Result.to_dict"}


def test_roles_become_cross_references_to_the_resolved_path() -> None:
    text = ("See :class:`Client`, :class:`~lingyun.TaskConfig`, :mod:`.core` and "
            ":meth:`Result.to_dict`.")
    markdown, unresolved = rst_markdown.convert(text, KNOWN.get)
    assert markdown == (
        "See [`Client`][lingyun.client.Client], [`TaskConfig`][lingyun.taskconfig.TaskConfig], "
        "[`.core`][lingyun.service.core] and "
        "[`Result.to_dict()`][lingyun.results.base.Result.to_dict]."
    )
    assert unresolved == []


def test_a_role_naming_nothing_is_reported_and_outside_names_are_not() -> None:
    text = (":class:`Gone`, :class:`lingyun.nothing.Here`, :meth:`Result.gone`, "
            ":class:`ValueError`, :mod:`http.server`, :func:`notinstalled.read_parquet`")
    markdown, unresolved = rst_markdown.convert(text, KNOWN.get)
    assert unresolved == ["Gone", "lingyun.nothing.Here", "Result.gone"]
    assert markdown == ("`Gone`, `lingyun.nothing.Here`, `Result.gone()`, `ValueError`, "
                        "`http.server`, `notinstalled.read_parquet()`")


def test_literal_blocks_and_doctests_become_fences() -> None:
    text = (
        "Quick start::\n\n    import lingyun\n\n    lingyun.Client()\n\nAfter.\n\n"
        ">>> tc = TaskConfig.parse('a=1')   # doctest: +SKIP\n>>> str(tc)\n'a=1'\n\nEnd."
    )
    markdown, _ = rst_markdown.convert(text, KNOWN.get)
    assert markdown == (
        "Quick start:\n\n```python\nimport lingyun\n\nlingyun.Client()\n```\n\nAfter.\n\n"
        "```pycon\n>>> tc = TaskConfig.parse('a=1')\n>>> str(tc)\n'a=1'\n```\n\nEnd."
    )


def test_fenced_markdown_is_left_alone() -> None:
    text = "```python\nx = ':class:`Client`'\n>>> not a doctest\n```"
    assert rst_markdown.convert(text, KNOWN.get) == (text, [])


def test_definition_lists_become_markdown_ones() -> None:
    text = ("The fixtures:\n\n``lingyun_server`` (session)\n    One service, started\n"
            "    on first use, see :class:`Client`.\n``lingyun_client``\n    A client.\n\n"
            "* a bullet\n    is not a term")
    markdown, _ = rst_markdown.convert(text, KNOWN.get)
    assert markdown == (
        "The fixtures:\n\n``lingyun_server`` (session)\n:   One service, started\n"
        "    on first use, see [`Client`][lingyun.client.Client].\n``lingyun_client``\n"
        ":   A client.\n\n* a bullet\n    is not a term"
    )


# Plain prose: no role, literal-block or doctest markers, no line indented as a definition.
PROSE = st.text(alphabet=st.characters(blacklist_characters=":`>", codec="utf-8")).filter(
    lambda text: "\n    " not in text
)


@given(PROSE)
def test_text_without_rest_markup_passes_through(text: str) -> None:
    assert rst_markdown.convert(text, KNOWN.get) == (text, [])


def test_only_names_of_other_packages_may_stay_unresolved_in_the_docs_only_build() -> None:
    """`.ci/docs` builds from a venv with only the docs extra: ``PIL.Image.Image`` cannot be
    resolved there and must not fail the strict build; a lingyun or bare name still must."""
    griffe = pytest.importorskip("griffe")
    sys.path.insert(0, str(ROOT / "scripts" / "docsite"))
    griffe_rst = _load(ROOT / "scripts" / "docsite" / "griffe_rst.py")
    draw = griffe.load("lingyun.exports.draw", search_paths=[str(PACKAGE.parent)],
                       resolve_aliases=False)
    assert griffe_rst._external("PIL.Image.Image", draw)
    assert griffe_rst._external("numpy.ndarray", draw)
    for name in ("lingyun.exports.nothing", "Nothing", ".nothing", "ExportError.gone"):
        assert not griffe_rst._external(name, draw), name
