"""Evaluating declared fields on what the service returned: normalize, validate, never raise.

Results call :func:`evaluate` once per reply with every recognized field as an
:class:`Occurrence` (its key, its path in the result and the raw text).  Each field's text is
prepared and read by its kind, then every validator runs -- cross-field ones with the other
fields' normalized values (the first occurrence of each key).  Every failure, including an
exception from a plugin's own normalizer or validator, becomes an
:class:`~lingyun.fields.issues.Issue`; nothing raises for a bad value.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, NamedTuple

from . import codec
from .declare import Field
from .issues import Invalid, Issue
from .normalizers import collapse_spaces

__all__ = ["Checked", "Occurrence", "evaluate"]


class Occurrence(NamedTuple):
    """A recognized field: its declared key (``None`` when undeclared), path, raw text."""

    key: str | None
    path: str
    raw: str | None


class Checked(NamedTuple):
    """The evaluator's verdict on one occurrence."""

    normalized: Any
    issues: list[Issue]


def _failure(exc: Exception) -> str:
    return f"the check itself failed ({type(exc).__name__}: {exc})"


def _empty(spec: Field | None, path: str) -> Checked:
    if spec is not None and spec.required:
        return Checked(None, [Issue(path, "required", f"{spec.name} is required but empty")])
    return Checked(None, [])


def _normalize(spec: Field | None, raw: str | None, path: str) -> Checked:
    if raw is None or not raw.strip():
        return _empty(spec, path)
    if spec is None:  # undeclared: plain text, nothing to check
        return Checked(collapse_spaces(raw), [])
    kind = spec.kind
    try:
        text = raw
        for step in kind.prepare + spec.normalizers:
            text = step(text)
        if not text:  # only separators: as empty as no text at all
            return _empty(spec, path)
        value = kind.read(text)
    except Invalid as exc:
        return Checked(None, [Issue(path, exc.check or kind.name, exc.message)])
    except Exception as exc:  # a plugin's normalizer must not break the whole result
        return Checked(None, [Issue(path, kind.name, _failure(exc))])
    if not codec.encodable(value):
        return Checked(None, [Issue(path, kind.name,
                                    f"normalized to a {type(value).__name__}, which a result "
                                    "cannot store")])
    return Checked(value, [])


def evaluate(
    fields: Sequence[Field], occurrences: Sequence[Occurrence]
) -> tuple[list[Checked], list[Issue]]:
    """``(one Checked per occurrence, issues for required fields that did not occur)``."""
    by_key = {f.key: f for f in fields}
    checked = [_normalize(by_key.get(o.key) if o.key else None, o.raw, o.path)
               for o in occurrences]
    first: dict[str, Any] = {}
    for occurrence, verdict in zip(occurrences, checked, strict=True):
        if occurrence.key is not None and verdict.normalized is not None:
            first.setdefault(occurrence.key, verdict.normalized)
    for occurrence, verdict in zip(occurrences, checked, strict=True):
        spec = by_key.get(occurrence.key) if occurrence.key else None
        if spec is None or verdict.normalized is None:
            continue
        for check in spec.all_validators:
            others = [first.get(name) for name in check.uses]
            if any(other is None for other in others):
                continue  # the other field is absent or carries its own issue
            try:
                messages = check.run(verdict.normalized, *others)
            except Exception as exc:  # a plugin's check must not break the whole result
                messages = [_failure(exc)]
            verdict.issues.extend(Issue(occurrence.path, check.name, m) for m in messages)
    present = {o.key for o in occurrences}
    missing = [
        Issue(f.key, "required", f"{f.name} is required; the service did not return it")
        for f in fields
        if f.required and f.key not in present
    ]
    return checked, missing
