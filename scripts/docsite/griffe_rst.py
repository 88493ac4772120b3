"""Griffe extension: lingyun's reST-flavoured docstrings become Markdown with live links.

Loaded by mkdocstrings (``extensions:`` in ``mkdocs.yml``).  When griffe has loaded the whole
``lingyun`` package, every docstring is rewritten by :func:`rst_markdown.convert`; each Sphinx
role is resolved the way Python would resolve the name where the docstring stands (members,
imports, relative ``.module`` paths, re-exports followed to the object's definition).  A role
naming nothing in lingyun is logged as a warning, which ``mkdocs build --strict`` turns into a
failure: a docstring cannot point at a class that was renamed or removed.  A dotted name in
another package (``PIL.Image.Image``) is shown as code without a warning: the site is built
from a venv with only the ``docs`` extra, where that package may not be installed.

A package's ``__init__`` that re-exports names from its own submodules (``from .layout import
Layout``) does not render them a second time: each object is documented once, where it is
defined, and every link leads there.

An attribute documented the Sphinx way, by ``#:`` comment lines right above it (how lingyun
documents its constants), gets that comment as its docstring.
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


def _external(target: str, obj: griffe.Object) -> bool:
    """True for a dotted name in another package (``PIL.Image.Image``, ``numpy.ndarray``):
    the docs build needs only the ``docs`` extra, so such a package may be absent and its
    names unresolvable.  A bare name, a relative ``.name`` and anything under ``lingyun``
    must resolve (a typo or a rename there fails the strict build)."""
    if target.startswith(".") or "." not in target or target.split(".")[0] == "lingyun":
        return False
    head = target.split(".")[0]
    try:
        return not obj.resolve(head).startswith("lingyun")
    except (griffe.NameResolutionError, KeyError, ValueError):
        return True


def _walk(obj: griffe.Object) -> Any:
    yield obj
    for member in obj.members.values():
        if not member.is_alias:
            yield from _walk(member)


def _drop_internal_reexports(module: griffe.Module, package: str) -> None:
    """Remove the members of ``module`` that are aliases of objects defined in ``package``."""
    for name, member in list(module.members.items()):
        if member.is_alias and member.target_path.startswith(package + "."):
            del module.members[name]


def _comment_docstring(obj: griffe.Object) -> str | None:
    """The ``#:`` lines right above an attribute's assignment, joined; None if there are none."""
    if not obj.is_attribute or obj.lineno is None:
        return None
    try:
        lines = obj.module.lines
    except (AttributeError, OSError, griffe.BuiltinModuleError):
        return None
    found: list[str] = []
    # the line above, 0-based (a stub merged into a compiled module may have no lines)
    index = obj.lineno - 2
    while 0 <= index < len(lines) and lines[index].strip().startswith("#:"):
        found.insert(0, lines[index].strip()[2:].strip())
        index -= 1
    return "\n".join(found) or None


class ReSTDocstrings(griffe.Extension):
    """Rewrites every docstring of a loaded package (see the module docstring)."""

    def on_package(self, *, pkg: griffe.Module, **kwargs: Any) -> None:
        for obj in _walk(pkg):
            if obj.docstring is None:
                comment = _comment_docstring(obj)
                if comment is None:
                    continue
                obj.docstring = griffe.Docstring(comment, parent=obj)
            text, unresolved = convert(obj.docstring.value, _resolver(obj))
            obj.docstring.value = text
            for target in unresolved:
                if _external(target, obj):
                    continue  # shown as code; its package need not be installed to build
                log.warning("%s: docstring refers to %r, which is not in lingyun", obj.path,
                            target)
        # Only after every docstring was resolved (resolution may go through a re-export).
        for obj in list(_walk(pkg)):
            if obj.is_module:
                _drop_internal_reexports(obj, pkg.path)
