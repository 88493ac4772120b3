"""What a local recognizer reads: a :class:`Page` of text lines with per-character boxes.

The embedded engine (rapidocr) gives lines, each with a box and a box and confidence per
character.  A recognizer turns that into a document's fields, which on a printed card is
mostly geometry: the value *right of* a label on the same row, the lines *below* it that
continue an address, the run of digits that passes a check digit.  The helpers here do
that geometry once, so each recognizer reads like the card it reads.

Two things the engine does not give are recovered from the boxes:

* **word breaks** -- rapidocr drops spaces (``SHI LI`` comes back as ``SHILI``), so a
  character whose gap to the previous one is wider than :data:`WORD_GAP` times the line's
  character height, or whose step from the previous centre is :data:`WORD_PITCH` times the
  line's usual step, starts a new word (:attr:`Char.space_before`);
* **skew** -- a card photographed a few degrees off level puts a label and its value at
  different heights.  :attr:`Page.skew` is estimated from the slope of the character
  centres along each long line, and rows are compared on skew-corrected heights.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from ..errors import UsageError

__all__ = [
    "COLUMN_GAP",
    "DIGIT_LOOKALIKES",
    "WORD_GAP",
    "WORD_PITCH",
    "Box",
    "Char",
    "DigitRun",
    "Page",
    "PageError",
    "Span",
    "TextLine",
    "digit_runs",
    "union",
]

Box = tuple[int, int, int, int]  # left, top, right, bottom, in image pixels

#: A gap wider than this many character heights between two characters is a word break.
WORD_GAP = 0.45
#: So is a step between centres this many times the line's median step (monospace print,
#: whose glyph boxes touch across a space).
WORD_PITCH = 1.4
#: A blank wider than this many character heights ends a value (the next column begins).
COLUMN_GAP = 3.0
#: What may stand between a label and its value (``姓名：``) and is not part of the value.
_LABEL_PUNCTUATION = " :：.,，;；-"
#: Lines shorter than this many characters do not vote on the page's skew.
_SKEW_MIN_CHARS = 4


class PageError(UsageError):
    """A page, line or character that cannot be what an engine read (says which and why)."""


def union(boxes: Iterable[Box]) -> Box:
    """The smallest box around ``boxes`` (at least one)."""
    boxes = list(boxes)
    if not boxes:
        raise PageError("union() of no boxes")
    return (min(b[0] for b in boxes), min(b[1] for b in boxes),
            max(b[2] for b in boxes), max(b[3] for b in boxes))


def _is_cjk(char: str) -> bool:
    return "\u3400" <= char <= "\u9fff" or "\uf900" <= char <= "\ufaff"


def _overlap(a: Box, b: Box) -> float:
    """How much of the narrower of two boxes the other covers horizontally (0..1)."""
    shared = min(a[2], b[2]) - max(a[0], b[0])
    narrower = min(a[2] - a[0], b[2] - b[0])
    return max(shared, 0) / narrower if narrower > 0 else 0.0


def _check_box(box: object, where: str) -> Box:
    if (not isinstance(box, tuple | list) or len(box) != 4
            or not all(isinstance(v, int) and not isinstance(v, bool) for v in box)):
        raise PageError(f"{where}: a box is four integers (left, top, right, bottom), "
                        f"got {box!r}")
    left, top, right, bottom = box
    if right < left or bottom < top:
        raise PageError(f"{where}: box {tuple(box)} has right < left or bottom < top")
    return (left, top, right, bottom)


@dataclass(frozen=True)
class Char:
    """One recognized character: its text, box, the engine's confidence (0..1), and whether
    a word break comes before it."""

    text: str
    box: Box
    confidence: float = 1.0
    space_before: bool = False

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or len(self.text) != 1 or self.text.isspace():
            raise PageError(f"a Char holds one non-space character, got {self.text!r}")
        object.__setattr__(self, "box", _check_box(self.box, f"char {self.text!r}"))
        if (not isinstance(self.confidence, int | float) or isinstance(self.confidence, bool)
                or not 0.0 <= self.confidence <= 1.0):
            raise PageError(f"char {self.text!r}: confidence {self.confidence!r} is not "
                            "within 0..1")

    @property
    def centre(self) -> tuple[float, float]:
        left, top, right, bottom = self.box
        return ((left + right) / 2, (top + bottom) / 2)

    @property
    def height(self) -> int:
        return self.box[3] - self.box[1]


@dataclass(frozen=True)
class Span:
    """Consecutive characters of one line: what a field's value is made of.

    ``text`` keeps the word breaks as single spaces, except next to a Chinese character
    (Chinese is written without spaces, so a wide gap there is layout, not a word break);
    ``compact`` drops them all (labels and numbers are matched on it, since ``姓 名`` and
    ``6222 0000`` are printed spaced).
    """

    line: TextLine
    start: int
    end: int

    @property
    def chars(self) -> Sequence[Char]:
        return self.line.chars[self.start:self.end]

    @property
    def text(self) -> str:
        chars = self.chars
        return "".join(
            (" " if i and c.space_before and not (_is_cjk(c.text) or _is_cjk(chars[i - 1].text))
             else "") + c.text
            for i, c in enumerate(chars))

    @property
    def compact(self) -> str:
        return "".join(c.text for c in self.chars)

    @property
    def box(self) -> Box:
        return union(c.box for c in self.chars) if self.chars else self.line.box

    @property
    def confidence(self) -> float:
        """The least sure character's confidence (a field is as good as its worst char)."""
        return min((c.confidence for c in self.chars), default=0.0)

    def __bool__(self) -> bool:
        return self.end > self.start

    def __len__(self) -> int:
        return self.end - self.start

    def sub(self, start: int, end: int | None = None) -> Span:
        """The part from ``start`` to ``end`` (indices into this span's characters)."""
        stop = self.end if end is None else self.start + end
        return Span(self.line, min(self.start + start, stop), stop)

    def strip(self, characters: str = _LABEL_PUNCTUATION) -> Span:
        """Without leading and trailing punctuation such as the colon after a label."""
        start, end = self.start, self.end
        chars = self.line.chars
        while start < end and chars[start].text in characters:
            start += 1
        while end > start and chars[end - 1].text in characters:
            end -= 1
        return Span(self.line, start, end)

    def words(self) -> list[Span]:
        """This span cut at its word breaks."""
        cuts = [i for i in range(self.start + 1, self.end) if self.line.chars[i].space_before]
        bounds = [self.start, *cuts, self.end]
        return [Span(self.line, a, b) for a, b in itertools.pairwise(bounds)]

    def __repr__(self) -> str:
        return f"<Span {self.text!r} {self.box}>"


@dataclass(frozen=True)
class TextLine:
    """A line of text as the engine found it: its box and its characters in reading order."""

    box: Box
    chars: tuple[Char, ...]

    def __post_init__(self) -> None:
        object.__setattr__(self, "box", _check_box(self.box, "line"))
        object.__setattr__(self, "chars", tuple(self.chars))
        for i, char in enumerate(self.chars):
            if not isinstance(char, Char):
                raise PageError(f"line {self.box}: item {i} is {char!r}, not a Char")

    @property
    def text(self) -> str:
        return self.all.text

    @property
    def all(self) -> Span:
        """The whole line as a span."""
        return Span(self, 0, len(self.chars))

    @cached_property
    def char_height(self) -> float:
        """The median character height (the line box's height for an empty line)."""
        heights = [c.height for c in self.chars]
        return float(statistics.median(heights)) if heights else float(self.box[3] - self.box[1])

    def slope(self) -> float | None:
        """dy/dx of the character centres (least squares), or None for a short line."""
        if len(self.chars) < _SKEW_MIN_CHARS:
            return None
        xs = [c.centre[0] for c in self.chars]
        ys = [c.centre[1] for c in self.chars]
        mean_x, mean_y = statistics.fmean(xs), statistics.fmean(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        if spread == 0:
            return None
        return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread

    def find(self, pattern: str | re.Pattern[str]) -> Iterator[Span]:
        """Spans whose compact text (no word breaks) matches ``pattern``, left to right."""
        regex = re.compile(pattern) if isinstance(pattern, str) else pattern
        for match in regex.finditer("".join(c.text for c in self.chars)):
            if match.end() > match.start():
                yield Span(self, match.start(), match.end())

    def __repr__(self) -> str:
        return f"<TextLine {self.text!r} {self.box}>"


@dataclass(frozen=True)
class Page:
    """An image's size and its text lines: the input of every local recognizer."""

    width: int
    height: int
    lines: tuple[TextLine, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        for name in ("width", "height"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                raise PageError(f"page {name} must be a positive integer, got {value!r}")
        object.__setattr__(self, "lines", tuple(self.lines))
        for i, line in enumerate(self.lines):
            if not isinstance(line, TextLine):
                raise PageError(f"page line {i} is {line!r}, not a TextLine")

    @classmethod
    def from_chars(cls, width: int, height: int,
                   lines: Iterable[Iterable[tuple[str, Box, float]]]) -> Page:
        """Build a page from ``(character, box, confidence)`` triples per line.

        A space character (the engine's word break) is not a :class:`Char`: it sets
        ``space_before`` on the next one; so does a gap wider than :data:`WORD_GAP`
        character heights or a step between centres :data:`WORD_PITCH` times the line's
        median step.  The line's box is the union of its characters; a line with no
        character but spaces is dropped.
        """
        built = []
        for number, triples in enumerate(lines):
            items = [(text, _check_box(box, f"line {number} char {text!r}"), confidence)
                     for text, box, confidence in triples]
            solid = [(t, b, c) for t, b, c in items if not t.isspace()]
            if not solid:
                continue
            gap_limit = WORD_GAP * statistics.median(b[3] - b[1] for _, b, _ in solid)
            steps = [(b[0] + b[2] - a[0] - a[2]) / 2
                     for (_, a, _), (_, b, _) in itertools.pairwise(solid)]
            step_limit = WORD_PITCH * statistics.median(steps) if len(steps) >= 2 else math.inf
            chars: list[Char] = []
            pending_space = False
            for text, box, confidence in items:
                if text.isspace():
                    pending_space = bool(chars)
                    continue
                if chars:
                    before = chars[-1].box
                    step = (box[0] + box[2] - before[0] - before[2]) / 2
                    pending_space = (pending_space or box[0] - before[2] > gap_limit
                                     or step > step_limit)
                chars.append(Char(text, box, confidence, pending_space))
                pending_space = False
            built.append(TextLine(union(c.box for c in chars), tuple(chars)))
        return cls(width, height, tuple(built))

    @cached_property
    def skew(self) -> float:
        """The page's rotation in radians (positive: text runs downhill to the right)."""
        slopes = [s for s in (line.slope() for line in self.lines) if s is not None]
        return math.atan(statistics.median(slopes)) if slopes else 0.0

    def level(self, box: Box) -> tuple[float, float]:
        """``(x, y)`` of ``box``'s centre with the skew taken out (rotated about the origin)."""
        x = (box[0] + box[2]) / 2
        y = (box[1] + box[3]) / 2
        cos, sin = math.cos(self.skew), math.sin(self.skew)
        return (x * cos + y * sin, y * cos - x * sin)

    def same_row(self, a: Box, b: Box, tolerance: float) -> bool:
        """True when ``a`` and ``b`` sit on one row: levelled centres within ``tolerance``."""
        return abs(self.level(a)[1] - self.level(b)[1]) <= tolerance

    def find(self, pattern: str | re.Pattern[str]) -> list[Span]:
        """Every span of every line matching ``pattern`` (top to bottom, left to right)."""
        return [span for line in self.reading_order() for span in line.find(pattern)]

    def first(self, pattern: str | re.Pattern[str]) -> Span | None:
        found = self.find(pattern)
        return found[0] if found else None

    def rows(self) -> list[list[TextLine]]:
        """Lines grouped into rows (levelled centres within half a character height), top to
        bottom, each row left to right -- a value the engine cut into two boxes is one row."""
        grouped: list[list[TextLine]] = []
        for line in sorted(self.lines, key=lambda ln: self.level(ln.box)[1]):
            row = grouped[-1] if grouped else None
            if row is not None and self.same_row(
                    row[0].box, line.box, 0.5 * min(row[0].char_height, line.char_height)):
                row.append(line)
            else:
                grouped.append([line])
        return [sorted(row, key=lambda ln: self.level(ln.box)[0]) for row in grouped]

    def reading_order(self) -> list[TextLine]:
        """Lines row by row, top to bottom, each row left to right."""
        return [line for row in self.rows() for line in row]

    def right_of(self, label: Span, stop: Sequence[str] = (), *,
                 gap: float = COLUMN_GAP) -> Span | None:
        """The value printed right of ``label`` on its row, cut before the first of the
        ``stop`` labels and at a blank wider than ``gap`` character heights.

        The value starts at the first character right of the label (after its colon),
        however far away; from there a blank wider than ``gap`` character heights of the
        label's line (default :data:`COLUMN_GAP`, 3) ends it, because past it the next
        column begins.  A value printed with wide blanks inside it (a date spread over a
        form's boxes, ``2024    05    17``) needs a larger ``gap``, else it is cut at the
        first wide blank.  ``lingyun page IMAGE`` prints every line's and character's box,
        so the blanks of a real form can be measured; ``gap`` must be positive.

        The characters of every line on the label's row are merged left to right, so a
        value the engine split into two boxes is whole again, and a character two
        overlapping boxes both read (``签发机关示`` + ``示例市…``) is kept once, as read by
        the surer box.
        """
        height = label.line.char_height
        edge = self.level(label.chars[-1].box)[0] if label else self.level(label.box)[0]
        row = [label.line.chars[label.end:]] + [
            line.chars for line in self.lines
            if line is not label.line and self.same_row(line.box, label.box, 0.6 * height)
        ]
        # (char, which line read it): on a tilted card neighbours' upright boxes overlap
        # within a line, so only characters from different lines can be one read twice
        chars = sorted(((c, source) for source, part in enumerate(row) for c in part
                        if self.level(c.box)[0] > edge),
                       key=lambda pair: self.level(pair[0].box)[0])
        if gap <= 0:
            raise PageError(f"right_of(gap={gap!r}): the gap is a positive number of "
                            "character heights")
        merged: list[tuple[Char, int]] = []
        # The punctuation after a label ("姓名：", "Name:") is not part of the value: the
        # value starts at the first other character, however far right it is printed.
        while chars and chars[0][0].text in _LABEL_PUNCTUATION:
            chars.pop(0)
        for char, source in chars:
            if merged and merged[-1][1] != source and _overlap(merged[-1][0].box,
                                                               char.box) > 0.5:
                if char.confidence > merged[-1][0].confidence:
                    merged[-1] = (char, source)
                continue
            if merged and char.box[0] - merged[-1][0].box[2] > gap * height:
                break
            merged.append((char, source))
        if not merged:
            return None
        kept = tuple(c for c, _ in merged)
        value = TextLine(union(c.box for c in kept), kept).all
        for word in stop:
            found = next(value.line.find(re.escape(word)), None)
            if found is not None:
                value = value.sub(0, min(len(value), found.start))
        value = value.strip()
        return value or None

    def below(self, span: Span, *, max_lines: int = 3,
              first_step: float = 1.8) -> list[TextLine]:
        """Lines continuing ``span`` downwards (an address wrapped over lines): each starts
        within two character heights of the span's left edge and sits at most 1.8 line
        heights under the previous one (``first_step`` for the first: more to reach the
        next field's row)."""
        height = span.line.char_height
        left = self.level(span.box)[0] - (span.box[2] - span.box[0]) / 2
        bottom = self.level(span.box)[1]
        found: list[TextLine] = []
        for line in sorted(self.lines, key=lambda ln: self.level(ln.box)[1]):
            if len(found) >= max_lines or line is span.line:
                continue
            x, y = self.level(line.box)
            line_left = x - (line.box[2] - line.box[0]) / 2
            step = first_step if not found else 1.8
            if 0.5 * height < y - bottom <= step * height and abs(line_left - left) <= 2 * height:
                found.append(line)
                bottom = y
        return found


# -- digit runs ------------------------------------------------------------------------
#: Letters an engine reads in place of a digit, mapped back only inside a run of digits.
DIGIT_LOOKALIKES = {"O": "0", "o": "0", "D": "0", "Q": "0", "l": "1", "I": "1", "|": "1",
                    "i": "1", "Z": "2", "S": "5", "s": "5", "B": "8", "b": "6", "g": "9"}


@dataclass(frozen=True)
class DigitRun:
    """Digits read left to right along one row, with the character each came from."""

    digits: str
    chars: tuple[Char, ...]

    @property
    def box(self) -> Box:
        return union(c.box for c in self.chars)

    @property
    def confidence(self) -> float:
        return min((c.confidence for c in self.chars), default=0.0)

    @property
    def char_height(self) -> float:
        return float(statistics.median(c.height for c in self.chars))

    def groups(self) -> list[DigitRun]:
        """The printed groups (``6222 0000 …``): the run cut at its word breaks."""
        out: list[DigitRun] = []
        for i, char in enumerate(self.chars):
            if not out or char.space_before:
                out.append(DigitRun("", ()))
            last = out[-1]
            out[-1] = DigitRun(last.digits + self.digits[i], (*last.chars, char))
        return out

    def join(self, other: DigitRun) -> DigitRun:
        return DigitRun(self.digits + other.digits, self.chars + other.chars)


def digit_runs(page: Page, *, last: str = "") -> list[DigitRun]:
    """Maximal runs of digits per row, word breaks kept as group boundaries.

    A letter that looks like a digit (``O``, ``l``, ``B`` …) counts as that digit when a
    real digit stands on either side of it; characters in ``last`` (``"Xx"`` for a
    resident ID number) may end a run.
    """
    runs: list[DigitRun] = []
    for row in page.rows():
        chars = [c for line in row for c in line.chars]
        current: list[tuple[str, Char]] = []
        for i, char in enumerate(chars):
            digit = _as_digit(chars, i, last)
            if digit is not None:
                current.append((digit, char))
            if current and (digit is None or char.text in last):
                runs.append(_run(current))
                current = []
        if current:
            runs.append(_run(current))
    return runs


def _as_digit(chars: Sequence[Char], i: int, last: str) -> str | None:
    """What ``chars[i]`` stands for in a run of digits, or None when it ends the run."""
    text = chars[i].text
    if text.isascii() and text.isdigit():
        return text
    neighbours = [chars[j].text for j in (i - 1, i + 1) if 0 <= j < len(chars)]
    if text in DIGIT_LOOKALIKES and any(n.isascii() and n.isdigit() for n in neighbours):
        return DIGIT_LOOKALIKES[text]
    if text in last and i > 0 and chars[i - 1].text.isdigit():
        return text.upper()
    return None


def _run(pairs: list[tuple[str, Char]]) -> DigitRun:
    return DigitRun("".join(d for d, _ in pairs), tuple(c for _, c in pairs))
