"""Griffe extension: lingyun's reST-flavoured docstrings become Markdown with live links.

Loaded by mkdocstrings (``extensions:`` in ``mkdocs.yml``).  When griffe has loaded the whole
``lingyun`` package, every docstring is rewritten by :func:`rst_markdown.convert`; each Sphinx
role is resolved the way Python would resolve the name where the docstring stands (members,
imports, relative ``.module`` paths, re-exports followed to the object's definition).  A role
naming nothing in lingyun is logged as a warning, which ``mkdocs build --strict`` turns into a
failure: a docstring cannot point at a class that was renamed or removed.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import griffe

sys.path.insert(0, str(Path(__file__).resolve().parent))
from rst_markdown import convert

# Under the "mkdocs" logger, so that strict mode counts these warnings.
log = logging.getLogger("mkdocs.plugins.lingyun_docstrings")


def _lookup(collection: Any, path: str) -> str | None:
    """The canonical path of ``path`` (aliases followed), or None if nothing is there."""
    try:
        found = collection[path]
    except (KeyError, ValueError, griffe.AliasResolutionError, griffe.CyclicAliasError):
        return None
    if found.is_alias:
        try:
            return found.final_target.path
        except (griffe.AliasResolutionError, griffe.CyclicAliasError):
            return None
    return found.path


def _resolver(obj: griffe.Object) -> Any:
    collection = obj.modules_collection

    def resolve(target: str) -> str | None:
        if target.startswith("."):
            module = obj.module
            base = module if module.is_init_module else module.parent
            for _ in range(len(target) - len(target.lstrip(".")) - 1):
                base = base.parent if base is not None else None
            if base is None:
                return None
            return _lookup(collection, f"{base.path}.{target.lstrip('.')}")
        if target == "lingyun" or target.startswith("lingyun."):
            return _lookup(collection, target)
        head, _, rest = target.partition(".")
        try:
            full = obj.resolve(head)
        except (griffe.NameResolutionError, KeyError, ValueError):
            return None
        return _lookup(collection, f"{full}.{rest}" if rest else full)

    return resolve


def _walk(obj: griffe.Object) -> Any:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


class ReSTDocstrings(griffe.Extension):
    """Rewrites every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            if obj.docstring is None:
                continue
            text, unresolved = convert(obj.docstring.value, _resolver(obj))
            obj.docstring.value = text
            for target in unresolved:
                log.warning("%s: docstring refers to %r, which is not in lingyun", obj.path,
                            target)
