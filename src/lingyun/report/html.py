"""The report as one HTML string: summary, failures, and a figure per page.

Every piece of record text -- file names, recognized text, field names, error messages --
goes through :func:`esc` (``html.escape`` with quotes), in element text and in attribute
values alike, so a file called ``<script>.png`` is shown, never run.  Nothing record-borne
is put inside ``<script>``: the page's data lives in ``data-*`` attributes that the script
reads with ``dataset`` and writes out with ``textContent``.

Each page is a ``<section class="page">`` whose attributes drive the filters:

``data-kind``       ``text``, ``template`` or another result kind
``data-min-conf``   lowest glyph/field confidence on the page (empty when none is known)
``data-low``        how many glyphs/fields are below the report's threshold
``data-issues``     how many field checks failed on the page

Over the image an inline ``<svg>`` (``viewBox`` in the original image's pixels, stretched to
the image) holds four layers: ``regions`` (regions and table cells), ``lines``, ``glyphs``
(one ``rect.glyph`` per character with ``data-text``, ``data-conf`` and ``data-cands``, a
JSON list of ``[character, distance]``) and ``fields`` (``rect.field`` with ``data-field``,
``data-value``, ``data-conf``, ``data-issues``).  The styles and script are inlined from
``static/``: the file needs no network and no server.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterable
from importlib import resources

from .images import PageImage
from .model import FieldView, GlyphView, PageView, Run, Shape, Summary

__all__ = ["esc", "render_html"]

#: The displayed width of a page figure is clamped to this range (CSS pixels).
MIN_FIGURE_WIDTH, MAX_FIGURE_WIDTH = 640, 1100


def esc(value: object) -> str:
    """``value`` as text that is safe in HTML element content and quoted attributes."""
    return html.escape("" if value is None else str(value), quote=True)


def _asset(name: str) -> str:
    return resources.files(__package__).joinpath("static", name).read_text(encoding="utf-8")


def _conf(value: float | None) -> str:
    return "" if value is None else f"{value:.3f}"


def _colour(value: float | None) -> str:
    """Green (sure) through amber to red (unsure); grey when the confidence is unknown."""
    if value is None:
        return "#888"
    return f"hsl({round(120 * max(0.0, min(1.0, value)))} 85% 38%)"


def render_html(run: Run, images: dict[int, tuple[PageImage | None, str | None]], *,
                title: str) -> str:
    """The whole report; ``images`` maps a page's ``number`` to its image (or a note)."""
    summary = run.summary
    parts = [
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n",
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n',
        f"<title>{esc(title)}</title>\n<style>\n{_asset('report.css')}</style>\n</head>\n",
        f'<body data-threshold="{summary.low_threshold:g}">\n',
        f"<header><h1>{esc(title)}</h1></header>\n",
        _summary(summary),
        _failures(run),
        _controls(summary, run.omitted),
        '<main id="pages">\n',
        *(_page(view, *images.get(view.number, (None, None)), summary.low_threshold)
          for view in run.pages),
        "</main>\n",
        '<div id="tip" role="tooltip" hidden></div>\n',
        f"<script>\n{_asset('report.js')}</script>\n</body>\n</html>\n",
    ]
    return _SURROGATE.sub(_shown_surrogate, "".join(parts))


#: A lone surrogate: what a file name's undecodable byte becomes in a Python string.
_SURROGATE = re.compile("[\ud800-\udfff]")


def _shown_surrogate(match: re.Match[str]) -> str:
    """``\\xe9`` for a byte kept by ``surrogateescape`` (U+DC80..U+DCFF), else U+FFFD:
    UTF-8 cannot carry a lone surrogate, and the byte is what a person can look for."""
    code = ord(match.group())
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else "\ufffd"


def _summary(summary: Summary) -> str:
    rate = summary.pages_per_second
    rate_text = "not recorded" if rate is None else f"{rate:.2f}"
    rate_note = ("the records carry no call timing" if rate is None else
                 f"{summary.timed} timed calls over {summary.busy_seconds:.1f} s in flight")
    failed = ", ".join(f"{esc(name)} {count}" for name, count
                       in summary.failed_by_type.most_common()) or "none"
    cards = [
        ("records", str(summary.records), ", ".join(
            f"{esc(name)} {count}" for name, count in summary.document_types.most_common())),
        ("ok", str(summary.ok), ""),
        ("failed", str(summary.failed), failed),
        ("pages/s", rate_text, rate_note),
        ("low confidence", str(summary.low_confidence_pages),
         f"pages with a character or field below {summary.low_threshold:g}"),
        ("fields with issues", str(len(summary.fields_with_issues)),
         f"on {summary.pages_with_issues} page(s)"),
    ]
    out = ['<section id="summary"><h2>Summary</h2>\n<div class="cards">\n']
    for name, number, note in cards:
        slug = name.replace(" ", "-").replace("/", "-per-")
        bad = " bad" if name == "failed" and summary.failed else ""
        out.append(f'<div class="card{bad}" id="sum-{slug}"><div class="num">{number}</div>'
                   f'<div class="what">{name}</div><div class="note">{note}</div></div>\n')
    out.append("</div>\n")
    if summary.failed_by_type:
        out.append('<table id="failed-by-type"><tr><th>error class</th><th>inputs</th></tr>\n')
        out.extend(f'<tr><td>{esc(name)}</td><td class="n">{count}</td></tr>\n'
                   for name, count in summary.failed_by_type.most_common())
        out.append("</table>\n")
    if summary.fields_with_issues:
        out.append('<table id="field-issues"><tr><th>field with issues</th><th>pages</th></tr>\n')
        out.extend(f'<tr><td>{esc(path)}</td><td class="n">{count}</td></tr>\n'
                   for path, count in summary.fields_with_issues.most_common())
        out.append("</table>\n")
    out.append("</section>\n")
    return "".join(out)


def _failures(run: Run) -> str:
    if not run.failures:
        return '<section id="failures"><h2>Failed inputs</h2><p>None.</p></section>\n'
    out = [f'<section id="failures"><h2>Failed inputs ({len(run.failures)})</h2>\n'
           "<table><tr><th>input</th><th>page</th><th>error</th><th>code</th>"
           "<th>message</th></tr>\n"]
    for failure in run.failures:
        out.append(f'<tr class="failure"><td class="src">{esc(failure.source)}</td>'
                   f'<td class="n">{esc(failure.page)}</td><td>{esc(failure.error_type)}</td>'
                   f'<td class="n">{esc(failure.code)}</td><td>{esc(failure.message)}</td></tr>\n')
    out.append("</table></section>\n")
    return "".join(out)


def _controls(summary: Summary, omitted: int) -> str:
    left_out = (f'<p id="omitted" class="note">{omitted} page(s) with nothing to review left '
                "out of this report (made with --only-problems)</p>\n") if omitted else ""
    return (
        '<nav id="controls"><h2>Pages</h2>\n'
        '<label><input type="checkbox" id="only-low"> only pages with confidence below</label> '
        f'<input type="number" id="threshold" min="0" max="1" step="0.05" '
        f'value="{summary.low_threshold:g}" aria-label="low-confidence threshold">\n'
        '<label><input type="checkbox" id="only-issues"> only fields with issues</label>\n'
        '<span class="layers">show: '
        + "".join(f'<label><input type="checkbox" class="layer-toggle" value="{name}" checked>'
                  f" {name}</label> " for name in ("glyphs", "lines", "regions", "fields"))
        + '</span>\n<span id="shown"></span>\n' + _LEGEND + left_out + "</nav>\n"
    )


#: What the colours over the images mean (the same classes as the drawn shapes).
_LEGEND = (
    '<div id="legend"><span class="key glyph-sure"></span>character, sure '
    '<span class="key glyph-unsure"></span>unsure (green to red by confidence; '
    'shaded: below the threshold) '
    '<span class="key line"></span>line <span class="key region"></span>region '
    '<span class="key cell"></span>table cell <span class="key field"></span>field '
    '<span class="key field-issue"></span>field with issues</div>\n'
)


def _page(view: PageView, image: PageImage | None, note: str | None, threshold: float) -> str:
    low = view.low_confidence(threshold)
    attributes = (f'id="page-{view.number}" class="page" data-kind="{esc(view.kind)}" '
                  f'data-min-conf="{_conf(view.min_confidence)}" data-low="{low}" '
                  f'data-issues="{len(view.issues)}"')
    out = [f"<section {attributes}>\n<h3>{view.number}. {esc(view.label)}</h3>\n"
           f'<p class="meta">{esc(view.document_type)} · {esc(view.kind)} result'
           f" · {len(view.glyphs)} characters · {len(view.fields)} fields"
           f" · {low} below {threshold:g} · {len(view.issues)} issue(s)</p>\n"]
    if view.replayed:
        out.append(f'<p class="warn">replayed answer ({esc(view.replayed)}), '
                   "not recognized from the image</p>\n")
    if view.problem:
        out.append(f'<p class="problem">{esc(view.problem)}</p>\n')
    out.append('<div class="body">\n')
    out.append(_figure(view, image, note, threshold))
    out.append('<div class="side">\n')
    if view.fields:
        out.append(_fields_table(view.fields, threshold))
    if view.line_glyphs:
        out.append(_glyph_text(view, threshold))
    elif view.text and not view.fields:
        out.append(f'<pre class="text">{esc(view.text)}</pre>\n')
    if view.issues and not view.fields:
        out.append('<ul class="issues">' + "".join(
            f"<li>{esc(i['field'])}: {esc(i['message'])} <code>{esc(i['check'])}</code></li>"
            for i in view.issues) + "</ul>\n")
    out.append("</div>\n</div>\n</section>\n")
    return "".join(out)


def _figure(view: PageView, image: PageImage | None, note: str | None,
            threshold: float) -> str:
    width = view.width or (image.width if image else None)
    height = view.height or (image.height if image else None)
    out = []
    if note:
        out.append(f'<p class="note">{esc(note)}</p>\n')
    if width is None or height is None:
        if image is None:
            return "".join(out)
        # size unknown here: the script sets the viewBox from the image once it loads
        style, box = f"width:{MAX_FIGURE_WIDTH}px", ""
    else:
        shown = max(MIN_FIGURE_WIDTH, min(MAX_FIGURE_WIDTH, width))
        style = f"width:{shown}px;aspect-ratio:{width}/{height}"
        box = f' viewBox="0 0 {width} {height}"'
    out.append(f'<figure class="sheet" style="{style}">')
    if image is not None:
        out.append(f'<img src="{esc(image.src)}" alt="{esc(view.label)}">')
    else:
        out.append('<div class="blank"></div>')
    out.append(f'<svg class="overlay"{box} preserveAspectRatio="none">\n')
    out.append(_layer("regions", (_shape(s) for s in view.shapes if s.kind != "line")))
    out.append(_layer("lines", (_shape(s) for s in view.shapes if s.kind == "line")))
    out.append(_layer("glyphs", (_glyph(g, threshold) for g in view.glyphs)))
    out.append(_layer("fields", (_field_box(f, threshold) for f in view.fields if f.box)))
    out.append("</svg></figure>\n")
    return "".join(out)


def _layer(name: str, items: Iterable[str]) -> str:
    return f'<g class="layer {name}">' + "".join(items) + "</g>\n"


def _rect(box: tuple[int, int, int, int]) -> str:
    left, top, right, bottom = box
    return (f'x="{left}" y="{top}" width="{max(0, right - left)}" '
            f'height="{max(0, bottom - top)}"')


def _shape(shape: Shape) -> str:
    text = f' data-text="{esc(shape.text)}"' if shape.text else ""
    return f'<rect class="{shape.kind}" {_rect(shape.box)}{text}/>'


def _json_attr(value: object) -> str:
    """``value`` as JSON for a *single-quoted* attribute: the JSON's double quotes stay as
    they are (a third of the size of ``&quot;``), everything else that matters is escaped."""
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace("'", "&#x27;"))


def _cands(glyph: GlyphView) -> str:
    return _json_attr([[c, d] for c, d in glyph.candidates])


def _glyph(glyph: GlyphView, threshold: float) -> str:
    classes = "glyph"
    if glyph.confidence is not None and glyph.confidence < threshold:
        classes += " low"
    if glyph.suspect:
        classes += " suspect"
    return (f'<rect class="{classes}" {_rect(glyph.box)} data-i="{glyph.index}" '
            f'data-text="{esc(glyph.text)}" data-conf="{_conf(glyph.confidence)}" '
            f"data-cands='{_cands(glyph)}' "
            f'style="stroke:{_colour(glyph.confidence)}"/>')


def _issues_attr(item: FieldView) -> str:
    return _json_attr([f"{i['message']} [{i['check']}]" for i in item.issues])


def _field_box(item: FieldView, threshold: float) -> str:
    assert item.box is not None
    classes = "field" + (" issue" if item.issues else "")
    if item.confidence is not None and item.confidence < threshold:
        classes += " low"
    return (f'<rect class="{classes}" {_rect(item.box)} data-field="{esc(item.path)}" '
            f'data-value="{esc(item.value)}" data-conf="{_conf(item.confidence)}" '
            f"data-issues='{_issues_attr(item)}'/>")


def _fields_table(fields: list[FieldView], threshold: float) -> str:
    out = ['<table class="fields"><tr><th>field</th><th>value</th><th>conf.</th>'
           "<th>issues</th></tr>\n"]
    for item in fields:
        classes = "field-row" + (" issue" if item.issues else "")
        if item.confidence is not None and item.confidence < threshold:
            classes += " low"
        issues = "<br>".join(f"{esc(i['message'])} <code>{esc(i['check'])}</code>"
                             for i in item.issues)
        name = esc(item.path) + ("" if item.name in ("", item.path)
                                 else f' <span class="name">{esc(item.name)}</span>')
        out.append(f'<tr class="{classes}" data-field="{esc(item.path)}" '
                   f'data-conf="{_conf(item.confidence)}" data-issues="{len(item.issues)}">'
                   f'<td>{name}</td><td>{esc(item.value)}</td>'
                   f'<td class="n">{_conf(item.confidence)}</td><td>{issues}</td></tr>\n')
    out.append("</table>\n")
    return "".join(out)


def _glyph_text(view: PageView, threshold: float) -> str:
    """The page's text, one span per glyph (low ones marked); hovering a span shows the
    candidates held by the glyph's box (same ``data-i``), which is highlighted with it."""
    out = ['<div class="text">']
    for indices in view.line_glyphs:
        out.append('<div class="tline">')
        for i in indices:
            glyph = view.glyphs[i]
            if glyph.space_before:
                out.append(" ")
            low = " low" if glyph.confidence is not None and glyph.confidence < threshold else ""
            out.append(f'<span class="g{low}" data-i="{i}" '
                       f'data-conf="{_conf(glyph.confidence)}">{esc(glyph.text)}</span>')
        out.append("</div>")
    out.append("</div>\n")
    return "".join(out)
