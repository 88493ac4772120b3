"""What a report shows, read from a run's records: a :class:`Summary` and one :class:`PageView`
per recognized page.

Everything here is plain data (no HTML), so the numbers a reviewer sees can be tested
without a browser.  A record is turned back into its typed result with
:meth:`lingyun.results.Result.from_dict`; a text result's glyphs, lines and regions come from
its decoded position stream through the same page tree the hOCR/ALTO/PAGE exports use
(:func:`lingyun.exports._model.pages_of`), so a character's confidence here is the one those
files hold: ``1 - distance / 254`` of its first candidate.

A record that is not what lingyun writes (a result that does not decode, a field of the
wrong type) is not an exception: its page is shown with a ``problem`` saying what was wrong,
so one damaged line never hides the rest of a run.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from ..errors import LingyunError
from ..exports._model import Document, confidence, pages_of

__all__ = [
    "DEFAULT_LOW_CONFIDENCE",
    "Failure",
    "FieldView",
    "GlyphView",
    "PageView",
    "Run",
    "Shape",
    "Summary",
    "busy_seconds",
    "page_view",
    "read_run",
]

#: Characters (and template fields) below this confidence count as low confidence.
DEFAULT_LOW_CONFIDENCE = 0.8

Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class GlyphView:
    """One recognized character: its box, first-candidate confidence and every candidate."""

    index: int
    text: str
    box: Box
    confidence: float | None
    suspect: bool
    #: ``(character, distance)`` per used candidate slot, best first.
    candidates: tuple[tuple[str, int], ...]
    #: A word space comes before this glyph (never for a line's first glyph).
    space_before: bool = False


@dataclass(frozen=True)
class Shape:
    """A line, region or table cell: what kind, where, and (lines) its text."""

    kind: str
    box: Box
    text: str = ""


@dataclass(frozen=True)
class FieldView:
    """One template field (or a declared scalar of another result) as the report lists it."""

    path: str
    name: str
    value: str | None
    box: Box | None
    confidence: float | None
    #: ``{"field", "check", "message"}`` for every check the field failed.
    issues: tuple[dict[str, str], ...]


@dataclass
class PageView:
    """One successful record: where it came from, what was recognized, and where."""

    number: int
    source: str
    page: int | None
    document_type: str
    kind: str
    text: str = ""
    width: int | None = None
    height: int | None = None
    glyphs: list[GlyphView] = field(default_factory=list)
    #: Glyph indices per line, in reading order (for the page's text listing).
    line_glyphs: list[list[int]] = field(default_factory=list)
    shapes: list[Shape] = field(default_factory=list)
    fields: list[FieldView] = field(default_factory=list)
    #: Issues of the whole result (each field's, then the form's: missing required fields).
    issues: list[dict[str, str]] = field(default_factory=list)
    #: What was wrong with the record, when its result could not be read back.
    problem: str | None = None
    replayed: str | None = None

    @property
    def label(self) -> str:
        return self.source if self.page is None else f"{self.source} · page {self.page}"

    @property
    def min_confidence(self) -> float | None:
        """The lowest confidence of any glyph or field on the page (``None``: none known)."""
        values = [g.confidence for g in self.glyphs if g.confidence is not None]
        values += [f.confidence for f in self.fields if f.confidence is not None]
        return min(values) if values else None

    def low_confidence(self, threshold: float = DEFAULT_LOW_CONFIDENCE) -> int:
        """How many glyphs and fields are below ``threshold``."""
        return (sum(1 for g in self.glyphs if g.confidence is not None
                    and g.confidence < threshold)
                + sum(1 for f in self.fields if f.confidence is not None
                      and f.confidence < threshold))


@dataclass(frozen=True)
class Failure:
    """One failed input: its source, page and the error its record holds."""

    source: str
    page: int | None
    error_type: str
    code: int | None
    message: str


@dataclass
class Summary:
    """The numbers at the top of a report."""

    records: int = 0
    ok: int = 0
    failed_by_type: Counter[str] = field(default_factory=Counter)
    document_types: Counter[str] = field(default_factory=Counter)
    #: Seconds during which at least one call was in flight (``None``: no record is timed).
    busy_seconds: float | None = None
    timed: int = 0
    #: Field path -> how many pages have an issue on it.
    fields_with_issues: Counter[str] = field(default_factory=Counter)
    pages_with_issues: int = 0
    low_confidence_pages: int = 0
    low_threshold: float = DEFAULT_LOW_CONFIDENCE

    @property
    def failed(self) -> int:
        return sum(self.failed_by_type.values())

    @property
    def pages_per_second(self) -> float | None:
        """Timed pages over the seconds any call was in flight (pauses between resumed runs
        are not counted); ``None`` when the records carry no timing."""
        if not self.timed or not self.busy_seconds:
            return None
        return self.timed / self.busy_seconds


@dataclass
class Run:
    """A whole run as the report shows it."""

    summary: Summary
    pages: list[PageView]
    failures: list[Failure]
    #: Successful pages left out of ``pages`` (see :meth:`keep_problems`).
    omitted: int = 0

    def keep_problems(self) -> None:
        """Keep only the pages a reviewer must look at: a character or field below the
        threshold, a failed check, an unreadable result or a replayed answer.  The summary
        still counts every page; ``omitted`` says how many were left out."""
        threshold = self.summary.low_threshold
        kept = [view for view in self.pages if view.issues or view.problem or view.replayed
                or view.low_confidence(threshold)]
        self.omitted += len(self.pages) - len(kept)
        self.pages = kept


def busy_seconds(intervals: Iterable[tuple[float, float]]) -> float:
    """The length of the union of ``(start, end)`` intervals: time with a call in flight.

    Concurrent calls overlap, and a resumed run leaves a gap; the union counts neither twice
    nor the gap, so ``pages / busy_seconds`` is the rate the run actually achieved.
    """
    total = 0.0
    current_start: float | None = None
    current_end = 0.0
    for start, end in sorted(intervals):
        if current_start is None or start > current_end:
            if current_start is not None:
                total += current_end - current_start
            current_start, current_end = start, end
        else:
            current_end = max(current_end, end)
    if current_start is not None:
        total += current_end - current_start
    return total


def read_run(records: Iterable[Mapping[str, Any]], *,
             low_threshold: float = DEFAULT_LOW_CONFIDENCE) -> Run:
    """The summary, page views and failures of ``records`` (dicts as the bulk run writes)."""
    summary = Summary(low_threshold=low_threshold)
    pages: list[PageView] = []
    failures: list[Failure] = []
    intervals: list[tuple[float, float]] = []
    for record in records:
        summary.records += 1
        summary.document_types[_text(record.get("document_type"))] += 1
        timing = _timing(record.get("timing"))
        if timing is not None:
            intervals.append(timing)
        if record.get("ok") is True:
            summary.ok += 1
            view = page_view(record, len(pages) + 1)
            pages.append(view)
            paths = {issue["field"] for issue in view.issues}
            summary.fields_with_issues.update(paths)
            summary.pages_with_issues += bool(view.issues)
            summary.low_confidence_pages += view.low_confidence(low_threshold) > 0
        else:
            failure = _failure(record)
            failures.append(failure)
            summary.failed_by_type[failure.error_type] += 1
    summary.timed = len(intervals)
    summary.busy_seconds = busy_seconds(intervals) if intervals else None
    return Run(summary, pages, failures)


def _text(value: Any, default: str = "") -> str:
    return default if value is None else str(value)


def _page_number(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _timing(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, Mapping):
        return None
    start, end = value.get("started"), value.get("finished")
    if not (_is_number(start) and _is_number(end)) or end < start:
        return None
    return float(start), float(end)


def _is_number(value: object) -> TypeGuard[float]:
    return isinstance(value, int | float) and not isinstance(value, bool) and value == value


def _failure(record: Mapping[str, Any]) -> Failure:
    error = record.get("error")
    if not isinstance(error, Mapping):
        error = {"type": "MalformedRecord",
                 "message": "the record is not ok but holds no error object"}
    code = error.get("code")
    return Failure(
        source=_text(record.get("source"), "<unknown source>"),
        page=_page_number(record.get("page")),
        error_type=_text(error.get("type"), "UnknownError"),
        code=code if isinstance(code, int) and not isinstance(code, bool) else None,
        message=_text(error.get("message")),
    )


def page_view(record: Mapping[str, Any], number: int) -> PageView:
    """The view of one successful record; a result that cannot be read back sets ``problem``."""
    from ..results import Result

    data = record.get("result")
    view = PageView(
        number=number,
        source=_text(record.get("source"), "<unknown source>"),
        page=_page_number(record.get("page")),
        document_type=_text(record.get("document_type")),
        kind=_text(data.get("kind"), "?") if isinstance(data, Mapping) else "?",
    )
    try:
        result = Result.from_dict(data)  # type: ignore[arg-type]
        view.replayed = result.replayed
        view.issues = [issue.to_dict() for issue in result.issues]
        if view.kind == "text":
            _fill_text(view, result)
        elif view.kind == "template":
            _fill_template(view, result)
        else:
            _fill_other(view, result)
    except LingyunError as exc:
        view.problem = str(exc)
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        view.problem = f"the result cannot be read back: {type(exc).__name__}: {exc}"
    return view


def _fill_text(view: PageView, result: Any) -> None:
    view.text = result.text
    if result.layout is None:
        return
    for page in pages_of(Document(result.layout, view.source)):
        if view.width is None and page.width > 0 and page.height > 0:
            view.width, view.height = page.width, page.height
        for block in page.blocks:
            view.shapes.append(Shape("region", block.box))
            view.shapes.extend(Shape("cell", cell.box) for cell in block.cells)
            for line in block.all_lines():
                view.shapes.append(Shape("line", line.box, line.text))
                indices = []
                for number, word in enumerate(line.words):
                    for position, glyph in enumerate(word.glyphs):
                        indices.append(len(view.glyphs))
                        view.glyphs.append(GlyphView(
                            len(view.glyphs), glyph.text, glyph.box,
                            confidence(glyph.distance), glyph.suspect, glyph.candidates,
                            space_before=number > 0 and position == 0))
                view.line_glyphs.append(indices)


def _fill_template(view: PageView, result: Any) -> None:
    issues_by_path: dict[str, list[dict[str, str]]] = {}
    for issue in view.issues:
        issues_by_path.setdefault(issue["field"], []).append(issue)
    for path, item in _walk(result.fields, ()):
        box = tuple(int(v) for v in item.box) if item.box is not None else None
        conf = item.confidence.value if item.confidence is not None else None
        view.fields.append(FieldView(path, item.name, item.value, box,  # type: ignore[arg-type]
                                     conf, tuple(issues_by_path.pop(path, ()))))
    # Issues on fields the reply lacked (required ones): listed as fields without a value.
    for path, issues in issues_by_path.items():
        view.fields.append(FieldView(path, path, None, None, None, tuple(issues)))
    view.text = "\n".join(f"{f.path}: {f.value}" for f in view.fields if f.value)


def _fill_other(view: PageView, result: Any) -> None:
    """Bank cards, business cards, plug-in kinds: their table rows as text, and the boxes
    of whatever they place (a bank card's digits) as glyphs without candidates."""
    view.text = "\n".join("  ".join(part for part in row if part) for row in result.rows())
    for digit in getattr(result, "digits", None) or ():
        box = getattr(digit, "box", None)
        if box is not None:
            view.glyphs.append(GlyphView(len(view.glyphs), str(digit.char),
                                         tuple(int(v) for v in box),  # type: ignore[arg-type]
                                         None, False, ()))


def _walk(fields: Sequence[Any], parents: tuple[Any, ...]) -> Iterable[tuple[str, Any]]:
    for item in fields:
        path = ".".join(p.key or p.name for p in (*parents, item))
        yield path, item
        yield from _walk(item.children, (*parents, item))
