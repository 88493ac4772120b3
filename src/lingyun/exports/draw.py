"""Pictures of a layout over its image: boxes coloured by certainty, baselines, labels.

:func:`draw` returns a new RGB :class:`PIL.Image.Image` (the input is not modified):

* ``level``: ``"char"`` (a box per glyph), ``"line"`` (per line, the union of its glyph
  boxes) or ``"region"`` (per REGION and TABLECELL box from the stream).
* ``color_by="distance"``: the first candidate's distance on a green (0, sure) -> yellow
  (127) -> red (254, unsure) ramp, :func:`distance_color`; a line or region takes its
  *least* sure glyph's distance, since that is the one worth a look.  Grey: no distance
  (unused slot, or a region without glyphs).  ``color_by="suspect"``: red where the
  service set ``bSuspect`` (on any glyph of a line or region), green elsewhere.
* ``baselines=True``: each line's estimated baseline in blue (see
  :mod:`lingyun.exports._model` for the estimate).
* ``labels``: ``None``, ``"text"`` (the glyph's / line's text), ``"distance"`` or
  ``"candidates"`` (every used candidate, best first), written above each box.

Labels that are not plain ASCII need a font with CJK glyphs -- Pillow's built-in font has
none and would draw empty boxes.  :func:`find_font` looks, in order, at the ``font``
argument, ``$LINGYUN_FONT``, the Noto CJK paths of Debian's ``fonts-noto-cjk``, fontconfig
(``fc-list :lang=zh``) and the pip-installable Noto Sans CJK; if none is found,
:class:`FontNotFoundError` says what to install.  Pillow comes with the ``export`` extra.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from ._model import (
    MAX_DISTANCE,
    UNUSED_DISTANCE,
    Block,
    Document,
    ExportError,
    Line,
    pages_of,
)

if TYPE_CHECKING:
    from PIL import Image

    from ..iread import Layout

__all__ = [
    "BASELINE_COLOR",
    "FONT_PATHS",
    "SURE_COLOR",
    "SUSPECT_COLOR",
    "UNKNOWN_COLOR",
    "FontNotFoundError",
    "distance_color",
    "draw",
    "find_font",
    "render_overlay",
]

SURE_COLOR = (0, 170, 0)
MIDDLE_COLOR = (230, 200, 0)
SUSPECT_COLOR = (220, 0, 0)
UNKNOWN_COLOR = (128, 128, 128)
BASELINE_COLOR = (0, 90, 255)
LABEL_COLOR = (200, 0, 200)
#: Where Debian/Ubuntu's ``fonts-noto-cjk`` (and a few others) put a CJK font.
FONT_PATHS = (
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/noto-cjk/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/System/Library/Fonts/PingFang.ttc",
    "C:/Windows/Fonts/msyh.ttc",
)
FONT_VARIABLE = "LINGYUN_FONT"
LEVELS = ("char", "line", "region")
COLOR_BY = ("distance", "suspect")
LABELS = (None, "text", "distance", "candidates")


class FontNotFoundError(ExportError):
    """No font with CJK glyphs was found for labels that need one."""


def distance_color(distance: int) -> tuple[int, int, int]:
    """Green (0) -> yellow (127) -> red (254); grey for 255 (no distance)."""
    if distance >= UNUSED_DISTANCE:
        return UNKNOWN_COLOR
    t = min(max(distance, 0), MAX_DISTANCE) / MAX_DISTANCE
    low, high, u = (SURE_COLOR, MIDDLE_COLOR, t * 2) if t <= 0.5 else \
        (MIDDLE_COLOR, SUSPECT_COLOR, t * 2 - 1)
    return tuple(round(a + (b - a) * u) for a, b in zip(low, high, strict=True))  # type: ignore[return-value]


def _fontconfig() -> str | None:
    if shutil.which("fc-list") is None:
        return None
    # fc-list, not fc-match: fc-match always answers with its best font, CJK or not
    # (DejaVu Sans on a machine without CJK fonts); fc-list lists only fonts covering zh.
    try:
        found = subprocess.run(["fc-list", "-f", "%{file}\n", ":lang=zh"], capture_output=True,
                               text=True, timeout=10, check=False).stdout.split("\n")
    except (OSError, subprocess.SubprocessError):
        return None
    return next((path for path in sorted(found) if path and Path(path).is_file()), None)


#: A PyPI distribution that ships Noto Sans CJK (OFL) as a plain file: ``pip install
#: cvttf-notosanscjk-regular`` gives CJK labels on a machine with no system CJK font.
FONT_PACKAGE = ("cvttf_NotoSansCJK_Regular", "NotoSansCJKtc-Regular.otf")


def _packaged_font() -> str | None:
    import importlib.util

    spec = importlib.util.find_spec(FONT_PACKAGE[0])
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / FONT_PACKAGE[1]
    return str(path) if path.is_file() else None


def find_font(font: str | os.PathLike[str] | None = None) -> Path | None:
    """A font file with CJK glyphs: ``font``, ``$LINGYUN_FONT``, known system paths,
    fontconfig, then the pip-installable Noto Sans CJK (:data:`FONT_PACKAGE`)."""
    for candidate in (font, os.environ.get(FONT_VARIABLE)):
        if candidate:
            path = Path(candidate)
            if not path.is_file():
                raise FontNotFoundError(f"font file {str(path)!r} does not exist")
            return path
    for candidate in (*FONT_PATHS, _fontconfig(), _packaged_font()):
        if candidate and Path(candidate).is_file():
            return Path(candidate)
    return None


def _open_image(image: Any) -> Image.Image:
    from PIL import Image, UnidentifiedImageError

    if isinstance(image, Image.Image):
        return image.convert("RGB")
    if isinstance(image, np.ndarray):
        return Image.fromarray(image).convert("RGB")
    try:
        if isinstance(image, bytes | bytearray | memoryview):
            return Image.open(io.BytesIO(bytes(image))).convert("RGB")
        return Image.open(image).convert("RGB")
    except (UnidentifiedImageError, OSError) as exc:
        raise ExportError(f"cannot open the image to draw on: {exc}") from None


class _Labeller:
    def __init__(self, size: int, font: Any) -> None:
        self.size = size
        self.font_arg = font
        self.fonts: dict[bool, Any] = {}

    def font(self, text: str) -> Any:
        from PIL import ImageFont

        wide = not text.isascii()
        if wide not in self.fonts:
            path = find_font(self.font_arg)
            if path is not None:
                self.fonts[wide] = ImageFont.truetype(str(path), self.size)
            elif wide:
                raise FontNotFoundError(
                    f"label {text!r} needs a font with CJK glyphs and none was found: "
                    f"pip install cvttf-notosanscjk-regular (or, on Debian/Ubuntu, apt-get "
                    f"install fonts-noto-cjk), set ${FONT_VARIABLE}, or pass font=PATH"
                )
            else:
                self.fonts[wide] = ImageFont.load_default(self.size)
        return self.fonts[wide]


def _items(layout: Layout, page: int, level: str) -> tuple[list[tuple[Any, ...]], list[Line]]:
    """``(box, distance, suspect, text, candidates)`` per drawn item, and the page's lines."""
    pages = pages_of(Document(layout))
    if not 0 <= page < len(pages):
        raise ExportError(f"page {page} does not exist; the layout has {len(pages)} page(s)")
    blocks: list[Block] = []
    for block in pages[page].blocks:
        blocks += [block, *block.cells]
    lines = [line for block in blocks for line in block.lines]
    items: list[tuple[Any, ...]] = []
    if level == "char":
        for line in lines:
            for g in line.glyphs:
                items.append((g.box, g.distance, g.suspect, g.text,
                              " ".join(text for text, _ in g.candidates)))
    elif level == "line":
        for line in lines:
            glyphs = line.glyphs
            items.append((line.box, max(g.distance for g in glyphs),
                          any(g.suspect for g in glyphs), line.text, ""))
    else:
        for block in blocks:
            glyphs = [g for line in block.lines for g in line.glyphs]
            worst = max((g.distance for g in glyphs), default=UNUSED_DISTANCE)
            text = "\n".join(line.text for line in block.lines)
            items.append((block.box, worst, any(g.suspect for g in glyphs), text, ""))
    return items, lines


def draw(
    layout: Layout,
    image: Any,
    *,
    page: int = 0,
    level: str = "char",
    color_by: str = "distance",
    baselines: bool = True,
    labels: str | None = None,
    font: str | os.PathLike[str] | None = None,
    width: int = 2,
    label_size: int | None = None,
) -> Image.Image:
    """The image (PIL image, path, bytes or array) with ``layout``'s page ``page`` drawn on it."""
    try:
        from PIL import ImageDraw
    except ImportError:
        raise ExportError("drawing needs Pillow: pip install 'lingyun[export]'") from None
    for name, value, allowed in (("level", level, LEVELS), ("color_by", color_by, COLOR_BY),
                                 ("labels", labels, LABELS)):
        if value not in allowed:
            raise ExportError(f"{name}={value!r} is not one of {allowed}")
    canvas = _open_image(image)
    pen = ImageDraw.Draw(canvas)
    items, lines = _items(layout, page, level)
    for box, distance, suspect, _text, _candidates in items:
        color = distance_color(distance) if color_by == "distance" else \
            (SUSPECT_COLOR if suspect else SURE_COLOR)
        left, top, right, bottom = box
        pen.rectangle((left, top, max(left, right - 1), max(top, bottom - 1)),
                      outline=color, width=width)
    if baselines:
        for line in lines:
            (x1, y1), (x2, y2) = line.baseline
            pen.line((x1, y1, x2, y2),
                     fill=BASELINE_COLOR, width=max(1, width // 2))
    if labels:
        heights = [b[3] - b[1] for b, *_ in items] or [20]
        size = label_size or int(np.clip(np.median(heights) * 0.6, 10, 64))
        labeller = _Labeller(size, font)
        for box, distance, _suspect, text, candidates in items:
            label = {"text": text, "distance": str(distance),
                     "candidates": candidates or text}[labels]
            if not label:
                continue
            label = label.replace("\n", " ")
            face = labeller.font(label)
            y = box[1] - size - 2 if box[1] - size - 2 >= 0 else box[3] + 2
            pen.text((box[0], y), label, font=face, fill=LABEL_COLOR)
    return canvas


def render_overlay(result: Any, image: Any, path: str | os.PathLike[str],
                   **options: Any) -> Path:
    """Draw ``result``'s layout (a TextResult or Layout) over ``image`` and save it at
    ``path`` (format from the suffix, e.g. ``.png``); ``options`` go to :func:`draw`."""
    layout = result if hasattr(result, "chars") else getattr(result, "layout", None)
    if layout is None:
        raise ExportError("this result has no position layout: recognize text with "
                          "withPosition=True to draw an overlay")
    target = Path(path)
    draw(layout, image, **options).save(target)
    return target

