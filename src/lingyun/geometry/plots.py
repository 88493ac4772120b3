"""PNG figures of an :class:`~lingyun.geometry.summary.Analysis` (the ``plots`` extra).

matplotlib draws off-screen (the Agg backend, chosen here before pyplot is imported, so no
display is needed).  Four figures, each one file:

* ``sizes.png`` -- histograms of glyph width, height and aspect ratio, and of line font size;
* ``skew.png`` -- histograms of line skew and page skew, in degrees;
* ``distances.png`` -- first- and second-candidate distance distributions, the margin
  ``d2 - d1``, and the share of suspect glyphs at each first distance;
* ``page-N.png`` -- a page overlay: regions (numbered ``R0``, ``R1``, ... in stream order,
  i.e. reading order, outside their left edge), lines' fitted baselines and glyph boxes
  coloured by first-candidate distance, over the page image when one is given, else over a
  blank page of the page's size; a legend under the page names each mark.

Glyph labels (the recognized characters and the confusion pairs) need a font with CJK
glyphs: :func:`cjk_font` takes the one :func:`lingyun.exports.draw.find_font` finds (the same
search as the exports' drawings: ``$LINGYUN_FONT``, known system paths, fontconfig, the
pip-installable Noto Sans CJK), else one among the fonts matplotlib knows (Noto CJK, Source
Han, WenQuanYi, Droid Sans Fallback, ...).  Without one, no glyph label is drawn and
:func:`write_figures` says so in its notes -- boxes of missing-glyph squares would be worse
than no label.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np

from ..errors import ConfigurationError
from .summary import Analysis

__all__ = ["cjk_font", "overlay_figure", "page_overlay", "write_figures"]

INSTALL_HINT = "pip install 'lingyun[plots]'"
_CJK_NAMES = ("cjk", "source han", "wenquanyi", "wqy", "droid sans fallback", "simhei",
              "simsun", "ms gothic", "ar pl", "hiragino")
#: The overlay draws glyph labels only on pages with at most this many glyphs.
MAX_LABELS = 600


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError:
        raise ConfigurationError(f"plots need matplotlib: {INSTALL_HINT}") from None
    matplotlib.use("Agg", force=True)
    import matplotlib.pyplot as plt

    return plt


def cjk_font() -> str | None:
    """The path of a font with CJK glyphs that matplotlib can use, or ``None``."""
    _pyplot()
    from matplotlib import font_manager

    from ..exports.draw import find_font

    found = find_font()
    if found is not None:
        return str(found)

    for entry in font_manager.fontManager.ttflist:
        if any(name in entry.name.lower() for name in _CJK_NAMES):
            return str(entry.fname)
    return None


def _hist(axis: Any, values: np.ndarray, title: str, xlabel: str, bins: int = 50) -> None:
    finite = values[np.isfinite(values)]
    if finite.size:
        axis.hist(finite, bins=bins, color="#3070b0")
    else:
        axis.text(0.5, 0.5, "no data", ha="center", va="center", transform=axis.transAxes)
    axis.set_title(f"{title} (n={finite.size})")
    axis.set_xlabel(xlabel)
    axis.set_ylabel("count")


def _sizes(plt: Any, analysis: Analysis, path: Path) -> None:
    figure, axes = plt.subplots(2, 2, figsize=(10, 7), layout="constrained")
    g = analysis.glyphs
    _hist(axes[0, 0], g["width"], "glyph width", "pixels")
    _hist(axes[0, 1], g["height"], "glyph height", "pixels")
    _hist(axes[1, 0], g["aspect"], "glyph aspect", "width / height")
    _hist(axes[1, 1], analysis.lines["font_size"], "line font size", "pixels (tallest glyph)")
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _skew(plt: Any, analysis: Analysis, path: Path) -> None:
    figure, axes = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
    _hist(axes[0], analysis.lines["skew"], "line skew", "degrees, counter-clockwise")
    _hist(axes[1], analysis.pages["skew"], "page skew", "degrees, counter-clockwise", bins=30)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _distances(plt: Any, analysis: Analysis, path: Path, font: str | None) -> None:
    stats = analysis.candidates
    figure, axes = plt.subplots(2, 2, figsize=(10, 7), layout="constrained")
    steps = np.arange(stats.histograms.shape[1])
    for slot, colour in ((0, "#3070b0"), (1, "#d06020")):
        axes[0, 0].step(steps, stats.histograms[slot], where="mid", color=colour,
                        label=f"candidate {slot + 1} (n={int(stats.histograms[slot].sum())})")
    axes[0, 0].set_yscale("symlog")
    axes[0, 0].set_title("candidate distance distribution")
    axes[0, 0].set_xlabel("distance (0 = certain, 254 = least certain)")
    axes[0, 0].legend()
    _hist(axes[0, 1], stats.margin.astype(np.float64), "margin d2 - d1", "distance", bins=40)
    axes[1, 0].plot(steps, stats.suspect_by_distance, ".", color="#b03040")
    axes[1, 0].set_ylim(-0.05, 1.05)
    axes[1, 0].set_title("share of suspect glyphs by first distance")
    axes[1, 0].set_xlabel("first-candidate distance")
    axes[1, 0].set_ylabel("suspect share")
    axes[1, 1].axis("off")
    axes[1, 1].set_title("most frequent first / second candidates")
    if font and stats.confusions:
        from matplotlib.font_manager import FontProperties

        props = FontProperties(fname=font, size=11)
        text = "\n".join(f"{a} / {b}   {n:>6}   margin {m:5.1f}"
                         for a, b, n, m in stats.confusions[:12])
        axes[1, 1].text(0.02, 0.95, text, va="top", fontproperties=props,
                        transform=axes[1, 1].transAxes)
    else:
        reason = "no second candidates" if not stats.confusions else "no CJK font found"
        axes[1, 1].text(0.02, 0.95, reason, va="top", transform=axes[1, 1].transAxes)
    figure.savefig(path, dpi=100)
    plt.close(figure)


def _rectangles(records: np.ndarray) -> np.ndarray:
    """``(n, 4, 2)`` corner points of boxes, for a PolyCollection."""
    left, top = records["left"].astype(float), records["top"].astype(float)
    right, bottom = records["right"].astype(float), records["bottom"].astype(float)
    return np.stack([np.stack([left, top], -1), np.stack([right, top], -1),
                     np.stack([right, bottom], -1), np.stack([left, bottom], -1)], axis=1)


def page_overlay(analysis: Analysis, page: int, path: Path, *, image: Any = None,
                 font: str | None = None) -> None:
    """Draw page ``page``'s regions, baselines and glyph boxes (coloured by first-candidate
    distance) over ``image`` (a path or an array) or over a blank page; see
    :func:`overlay_figure`."""
    plt = _pyplot()
    figure = overlay_figure(analysis, page, image=image, font=font)
    figure.savefig(path, dpi=100)
    plt.close(figure)


#: Colours of the overlay's marks (named in its legend).
REGION_COLOUR = "#2050c0"
BASELINE_COLOUR = "#c03030"
LABEL_COLOUR = "#606060"


def overlay_figure(analysis: Analysis, page: int, *, image: Any = None,
                   font: str | None = None) -> Any:
    """The matplotlib figure :func:`page_overlay` saves.

    Region numbers (``R0``, ``R1``, ... in reading order) sit *outside* each region, against
    its left edge, so they never cover the glyph labels drawn on the region's first line; a
    legend under the page names every mark (region, baseline, glyph box, label) and the
    colour bar gives the distance scale of the glyph boxes.
    """
    plt = _pyplot()
    from matplotlib.collections import LineCollection, PolyCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    layout = analysis.corpus.layout
    width, height = int(layout.pages["width"][page]), int(layout.pages["height"][page])
    scale = 12 / max(width, height, 1)
    figure, axis = plt.subplots(figsize=(max(width * scale, 3), max(height * scale, 3) + 0.6),
                                layout="constrained")
    if image is not None:
        picture = plt.imread(str(image)) if isinstance(image, str | Path) else image
        axis.imshow(picture, cmap="gray", extent=(0, width, height, 0))
    axis.set_xlim(0, max(width, 1))
    axis.set_ylim(max(height, 1), 0)
    axis.set_aspect("equal")
    axis.set_title(f"page {page} of {analysis.corpus.documents[layout.page_document[page]]}")

    regions = layout.regions[layout.regions["page"] == page]
    axis.add_collection(PolyCollection(list(_rectangles(regions)), facecolor="none",
                                       edgecolor=REGION_COLOUR, linewidth=1.5))
    for number, region in enumerate(regions):
        axis.annotate(f"R{number}", (float(region["left"]), float(region["top"])),
                      xytext=(-3, 0), textcoords="offset points", ha="right", va="top",
                      color="white", fontsize=8, annotation_clip=False, gid="region-number",
                      bbox={"boxstyle": "round,pad=0.15", "facecolor": REGION_COLOUR,
                            "edgecolor": "none"})
    on_page = np.flatnonzero(layout.chars["page"] == page)
    chars = layout.chars[on_page]
    distance = chars["distances"][:, 0].astype(float)
    distance[distance == 255] = np.nan
    glyph_boxes = PolyCollection(list(_rectangles(chars)), facecolor="none", linewidth=0.6,
                                 cmap="viridis", clim=(0, 254))
    glyph_boxes.set_array(distance)
    glyph_boxes.set_edgecolor(plt.get_cmap("viridis")(np.nan_to_num(distance) / 254))
    axis.add_collection(glyph_boxes)
    figure.colorbar(glyph_boxes, ax=axis, shrink=0.6, label="first-candidate distance")
    lines = analysis.lines[analysis.lines["page"] == page]
    lines = lines[lines["chars"] > 0]
    middle = (lines["left"] + lines["right"]) / 2
    ends = [np.stack([x, lines["baseline"] + lines["slope"] * (x - middle)], -1)
            for x in (lines["left"], lines["right"])]
    segments = np.stack(ends, axis=1)
    axis.add_collection(LineCollection(list(segments), colors=BASELINE_COLOUR, linewidths=0.8))
    handles: list[Any] = [
        Patch(facecolor="none", edgecolor=REGION_COLOUR, linewidth=1.5,
              label="region (R0, R1, ... in reading order)"),
        Line2D([], [], color=BASELINE_COLOUR, linewidth=0.8, label="line baseline (fitted)"),
        Patch(facecolor="none", edgecolor=plt.get_cmap("viridis")(0.5),
              label="glyph box, coloured by first-candidate distance"),
    ]
    labelled = bool(font) and chars.size <= MAX_LABELS
    if labelled:
        from matplotlib.font_manager import FontProperties

        # points = pixels * (inches per pixel of the figure) * 72; labels at 45 % of a glyph
        glyph_height = float(np.median(chars["bottom"] - chars["top"]))
        props = FontProperties(fname=font, size=max(3.0, 0.45 * glyph_height * scale * 72))
        for record in chars:
            axis.text(record["left"], record["top"], str(record["text"]), fontproperties=props,
                      color=LABEL_COLOUR, va="bottom", gid="glyph-label")
        handles.append(Line2D([], [], linestyle="none", marker="$A$", color=LABEL_COLOUR,
                              label="recognized character (first candidate)"))
    figure.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8,
                  frameon=False)
    return figure


def write_figures(analysis: Analysis, directory: str | Path, *, pages: int = 1,
                  image: Any = None) -> tuple[list[Path], list[str]]:
    """Write every figure into ``directory`` (created); overlays for the first ``pages``
    pages (``image`` under the first).  Returns the files written and notes for the user."""
    plt = _pyplot()
    out = Path(directory)
    out.mkdir(parents=True, exist_ok=True)
    font = cjk_font()
    notes = [] if font else ["no CJK font found (e.g. apt-get install fonts-noto-cjk): "
                             "glyph labels and confusion pairs are not drawn"]
    written = [out / "sizes.png", out / "skew.png", out / "distances.png"]
    _sizes(plt, analysis, written[0])
    _skew(plt, analysis, written[1])
    _distances(plt, analysis, written[2], font)
    for page in range(min(pages, analysis.corpus.layout.pages.size)):
        path = out / f"page-{page}.png"
        page_overlay(analysis, page, path, image=image if page == 0 else None, font=font)
        written.append(path)
    return written, notes
