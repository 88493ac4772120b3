"""The report builder without a browser: escaping, the summary's numbers, the data attributes
the filters read, where images come from, and bad input."""

from __future__ import annotations

import html
import json
import os
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from lingyun.bulk.records import make_record
from lingyun.cli import main
from lingyun.report import build_report, write_report
from lingyun.report.images import ImageFinder
from lingyun.report.model import busy_seconds, read_run

from .conftest import (
    CHINESE_BOXES,
    HOSTILE_NAME,
    HOSTILE_TEXT,
    RecordedRun,
    run_records,
    text_layout_records,
    text_result,
)


class _Elements(HTMLParser):
    """Every start tag with its attributes, as a browser's parser sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.script_text.append(data)

    def find(self, tag: str, **wanted: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.tags if name == tag and all(
            wanted_value in attrs.get("class", "").split()
            if key == "class_" else attrs.get(key.replace("_", "-")) == wanted_value
            for key, wanted_value in wanted.items())]


def _parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


@pytest.fixture
def report(recorded_run: RecordedRun) -> tuple[str, _Elements]:
    target = recorded_run.folder / "report.html"
    write_report(recorded_run.records, target)
    page = target.read_text(encoding="utf-8")
    return page, _parse(page)


def test_hostile_names_and_text_are_shown_escaped_never_as_markup(
        report: tuple[str, _Elements]) -> None:
    page, elements = report
    assert [tag for tag, _ in elements.tags].count("script") == 1  # ours, nothing else
    assert not elements.find("img", src="x")
    assert all("__hostile" not in text for text in elements.script_text)
    assert html.escape(HOSTILE_NAME) in page and HOSTILE_NAME not in page
    assert HOSTILE_TEXT not in page and "<script>window" not in page
    # the glyphs of "<&'>" round-trip through their attributes, candidates included
    glyphs = elements.find("rect", class_="glyph")[-4:]
    assert [g["data-text"] for g in glyphs] == ["<", "&", "'", ">"]
    assert [json.loads(g["data-cands"]) for g in glyphs] == [
        [["<", 0]], [["&", 0]], [["'", 0]], [[">", 0]]]


def test_the_report_refers_to_nothing_outside_itself(report: tuple[str, _Elements]) -> None:
    page, elements = report
    assert "http://" not in page and "https://" not in page and "@import" not in page
    assert not elements.find("link") and not [a for _, a in elements.tags if "href" in a]
    assert all(attrs["src"].startswith("data:") for attrs in elements.find("img"))
    assert not [a for tag, a in elements.tags if tag == "script" and "src" in a]


def test_summary_counts_records_failures_by_class_and_pages_per_second() -> None:
    run = read_run(run_records())
    summary = run.summary
    assert (summary.records, summary.ok, summary.failed) == (5, 3, 2)
    assert summary.failed_by_type == {"ImageError": 1, "TransientError": 1}
    # calls in flight over [100, 103] and [110, 111] (the pause between them is not counted);
    # the untimed record (written before timing existed) is left out of the rate
    assert summary.busy_seconds == pytest.approx(4.0)
    assert summary.pages_per_second == pytest.approx(1.0)
    assert dict(summary.fields_with_issues) == {"id_number": 1, "birth_date": 1}
    assert (summary.pages_with_issues, summary.low_confidence_pages) == (1, 2)


def test_summary_cards_and_failures_table_show_those_numbers(
        report: tuple[str, _Elements]) -> None:
    page, _ = report
    cards = dict(re.findall(r'id="sum-([\w-]+)"><div class="num">([^<]*)<', page))
    assert cards == {"records": "5", "ok": "3", "failed": "2", "pages-per-s": "1.00",
                     "low-confidence": "2", "fields-with-issues": "2"}
    rows = re.findall(r'<tr class="failure"><td class="src">([^<]*)</td><td class="n">'
                      r"([^<]*)</td><td>([^<]*)</td><td class=\"n\">([^<]*)</td>", page)
    assert rows == [("images/missing.png", "", "ImageError", ""),
                    ("images/busy.png", "", "TransientError", "250")]


def test_pages_per_second_is_not_recorded_without_timing() -> None:
    records = [r for r in run_records() if "timing" not in r]
    assert read_run(records).summary.pages_per_second is None
    page, _ = build_report(records)
    assert 'id="sum-pages-per-s"><div class="num">not recorded<' in page


def test_page_sections_carry_the_attributes_the_filters_read(
        report: tuple[str, _Elements]) -> None:
    _, elements = report
    pages = {attrs["id"]: attrs for attrs in elements.find("section", class_="page")}
    assert {k: (v["data-kind"], v["data-low"], v["data-issues"], v["data-min-conf"])
            for k, v in pages.items()} == {
        "page-1": ("text", "1", "0", "0.685"),   # 科 at distance 80
        "page-2": ("template", "1", "2", "0.620"),  # the ID number at 62 %
        "page-3": ("text", "0", "0", "1.000"),
    }


def test_glyph_rects_hold_box_confidence_and_every_candidate(
        report: tuple[str, _Elements]) -> None:
    _, elements = report
    glyphs = [g for g in elements.find("rect", class_="glyph")][:8]
    jie = glyphs[2]
    assert (jie["data-text"], jie["x"], jie["y"], jie["width"], jie["height"]) == \
        ("捷", "111", "43", "38", "38")
    assert json.loads(jie["data-cands"]) == [["捷", 2], ["建", 40], ["睫", 120]]
    assert [g["data-i"] for g in glyphs] == [str(i) for i in range(8)]
    low = [g["data-text"] for g in glyphs if "low" in g["class"].split()]
    assert low == ["科"]
    svg = elements.find("svg", class_="overlay")[0]
    assert svg["viewbox"] == "0 0 380 120"


def test_template_fields_are_drawn_and_listed_with_their_issues(
        report: tuple[str, _Elements]) -> None:
    _, elements = report
    boxes = {f["data-field"]: f for f in elements.find("rect", class_="field")}
    assert set(boxes) == {"name", "address", "id_number"}
    assert "issue" in boxes["id_number"]["class"].split()
    assert json.loads(boxes["id_number"]["data-issues"]) == [
        "the check digit is X, the number says 5 [cn.ric.checksum]"]
    assert boxes["address"]["data-value"] == HOSTILE_TEXT
    rows = [(r["data-field"], r["data-issues"]) for r in elements.find("tr", class_="field-row")]
    assert rows == [("name", "0"), ("address", "0"), ("id_number", "1"), ("birth_date", "1")]


def test_images_are_embedded_by_default_and_linked_relatively_on_request(
        recorded_run: RecordedRun) -> None:
    embedded = recorded_run.folder / "embedded.html"
    write_report(recorded_run.records, embedded)
    sources = [img["src"] for img in _parse(embedded.read_text("utf-8")).find("img")]
    assert len(sources) == 3 and all(s.startswith("data:image/png;base64,") for s in sources)

    out = recorded_run.folder / "out"
    out.mkdir()
    linked = out / "linked.html"
    write_report(recorded_run.records, linked, link_images=True)
    sources = [img["src"] for img in _parse(linked.read_text("utf-8")).find("img")]
    assert sources[:2] == ["../images/chinese.png", "../images/page.png"]
    assert (out / sources[0]).resolve() == (recorded_run.images / "chinese.png").resolve()
    assert "%3Cimg" in sources[2]  # the hostile name is URL-quoted, not markup


def test_images_dir_is_searched_by_name_and_never_left(tmp_path: Path,
                                                       recorded_run: RecordedRun) -> None:
    finder = ImageFinder(images=recorded_run.images)
    found, note = finder.find("/somewhere/else/chinese.png", None)
    assert found is not None and note is None
    outside = tmp_path / "secret.png"
    outside.write_bytes((recorded_run.images / "chinese.png").read_bytes())
    found, note = finder.find("../secret.png", None)
    assert found is None and "image not found" in (note or "")


def test_a_fifo_or_a_non_image_is_not_embedded(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "pipe.png")
    (tmp_path / "passwd.png").write_text("root:x:0:0:root:/root:/bin/bash\n")
    finder = ImageFinder(records_dir=tmp_path)
    assert finder.find("pipe.png", None)[0] is None  # returns at once: a FIFO is not opened
    image, note = finder.find("passwd.png", None)
    assert image is None and "not an image a browser shows" in (note or "")


def test_a_missing_image_leaves_the_boxes_on_a_blank_sheet_with_a_note() -> None:
    page, _ = build_report(run_records()[:1], finder=ImageFinder(records_dir="/nonexistent"))
    elements = _parse(page)
    assert not elements.find("img")
    assert elements.find("div", class_="blank") and len(elements.find("rect", class_="glyph")) == 8
    assert "image not found (looked at images/chinese.png, /nonexistent/images/chinese.png)" \
        in html.unescape(page)


def test_a_damaged_record_becomes_a_page_with_its_problem_not_a_crash() -> None:
    broken = make_record("x.png", None, "e" * 64, "text.chinese", {},
                         result=text_result("北", text_layout_records(
                             "北", CHINESE_BOXES[:1], width=380, height=120)))
    broken["result"]["positions"] = "not base64!"
    wrong_kind = {"source": "y.png", "ok": True, "result": {"kind": "nonsense"}}
    no_error = {"source": "z.png", "ok": False}
    untyped = {"ok": False, "error": {"message": "lost"}}
    run = read_run([broken, wrong_kind, no_error, untyped, {}])
    assert [p.problem is not None for p in run.pages] == [True, True]
    assert "positions are not base64" in (run.pages[0].problem or "")
    assert [f.error_type for f in run.failures] == ["MalformedRecord", "UnknownError",
                                                    "MalformedRecord"]
    assert run.failures[2].source == "<unknown source>"
    page, _ = build_report([broken, wrong_kind, no_error, {}])
    assert 'class="problem"' in page


@given(st.lists(st.tuples(st.integers(0, 50), st.integers(0, 20)), max_size=12))
def test_busy_seconds_is_the_length_of_the_union_of_the_calls(
        spans: list[tuple[int, int]]) -> None:
    intervals = [(float(start), float(start + length)) for start, length in spans]
    covered = {t for start, end in intervals for t in range(int(start), int(end))}
    assert busy_seconds(intervals) == len(covered)


def test_cli_writes_the_report_and_says_so(recorded_run: RecordedRun,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    target = recorded_run.folder / "cli.html"
    code = main(["report", str(recorded_run.records), "--html", str(target),
                 "--images", str(recorded_run.images)])
    assert code == 0 and target.read_text("utf-8").startswith("<!DOCTYPE html>")
    assert "5 record(s), 3 ok, 2 failed" in capsys.readouterr().err


@pytest.mark.parametrize(("arguments", "message"), [
    (["missing.jsonl", "--html", "r.html"], "records file missing.jsonl does not exist"),
    (["run.jsonl", "--html", "run.jsonl"], "is the records file itself"),
    (["run.jsonl", "--html", "nowhere/r.html"], "does not exist"),
    (["run.jsonl", "--html", "r.html", "--low", "2"], "between 0 and 1"),
    (["run.jsonl", "--html", "r.html", "--images", "nope"], "is not a directory"),
])
def test_cli_bad_input_exits_2_with_what_was_wrong(
        recorded_run: RecordedRun, capsys: pytest.CaptureFixture[str],
        monkeypatch: pytest.MonkeyPatch, arguments: list[str], message: str) -> None:
    monkeypatch.chdir(recorded_run.folder)
    assert main(["report", *arguments]) == 2
    error = capsys.readouterr().err
    assert message in error and "Traceback" not in error
    assert not (recorded_run.folder / "r.html").exists()


def test_a_records_file_that_is_not_json_lines_exits_2(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(b"\x89PNG not records\n")
    assert main(["report", str(bad), "--html", str(tmp_path / "r.html")]) == 2
    assert "line 1 is not JSON" in capsys.readouterr().err


def test_a_pdf_page_is_rasterised_again_and_embedded(tmp_path: Path) -> None:
    pytest.importorskip("pypdfium2", reason="PDF pages need pypdfium2")
    from PIL import Image

    pages = [Image.new("RGB", (200, 100), "white"), Image.new("RGB", (300, 120), "black")]
    pages[0].save(tmp_path / "scan.pdf", save_all=True, append_images=pages[1:],
                  resolution=72)
    image, note = ImageFinder(records_dir=tmp_path, link_from=tmp_path).find("scan.pdf", 2)
    assert note is None and image is not None
    assert image.src.startswith("data:image/png;base64,")  # embedded even when linking
    assert image.width is not None and image.height is not None
    assert image.width / image.height == pytest.approx(300 / 120, rel=0.02)


def test_a_large_image_is_downscaled_for_embedding_but_boxes_keep_its_pixels(
        tmp_path: Path) -> None:
    import base64
    import io

    from PIL import Image

    Image.new("RGB", (3000, 1000), "white").save(tmp_path / "wide.png")
    image, _ = ImageFinder(records_dir=tmp_path, max_side=500).find("wide.png", None)
    assert image is not None and (image.width, image.height) == (3000, 1000)
    data = base64.b64decode(image.src.split(",", 1)[1])
    with Image.open(io.BytesIO(data)) as embedded:
        assert max(embedded.size) == 500


def test_records_from_a_parquet_dataset_make_the_same_pages(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    from lingyun.bulk.records import ParquetSink

    with ParquetSink(tmp_path / "run.parquet") as sink:
        for record in run_records():
            sink.write(record)
    target = tmp_path / "report.html"
    run = write_report(tmp_path / "run.parquet", target)
    assert (run.summary.ok, run.summary.failed) == (3, 2)
    assert run.summary.pages_per_second is None  # Parquet records keep no timing
    assert len(_parse(target.read_text("utf-8")).find("section", class_="page")) == 3


def test_a_file_name_that_is_not_utf8_is_reported_not_fatal(tmp_path: Path) -> None:
    record = run_records()[0]
    record["source"] = "scans/caf\udce9.png"  # how a non-UTF-8 byte survives in a str
    target = tmp_path / "report.html"
    write_report(_write(tmp_path / "run.jsonl", [record]), target, link_images=True)
    assert "scans/caf\\xe9.png" in target.read_text("utf-8")


def _write(path: Path, records: list[dict[str, object]]) -> Path:
    with open(path, "w", encoding="utf-8", errors="surrogatepass") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=True) + "\n")
    return path


def test_a_bank_card_shows_its_rows_digit_boxes_and_issues() -> None:
    from lingyun.fields import Issue
    from lingyun.results import BankCardResult, Box, Digit, FieldValue

    card = BankCardResult(
        "bankcard", digits=[Digit("6", Box(10, 20, 30, 50)), Digit("2", None)],
        raw={"error": 0}, number="62", bank_name="演示银行",
        values={"number": FieldValue("number", "62", None,
                                     [Issue("number", "luhn", "the Luhn check fails")])})
    record = make_record("card.png", None, "f" * 64, "bankcard", {}, result=card)
    page, run = build_report([record])
    view = run.pages[0]
    assert [(g.text, g.box) for g in view.glyphs] == [("6", (10, 20, 30, 50))]
    assert "number  62" in view.text and "演示银行" in view.text
    assert "number: the Luhn check fails <code>luhn</code>" in page
    assert 'data-issues="1"' in page


def test_only_problems_leaves_out_pages_with_nothing_to_review() -> None:
    page, run = build_report(run_records(), only_problems=True)
    assert [view.label for view in run.pages] == ["images/chinese.png", "images/page.png"]
    assert run.omitted == 1 and run.summary.ok == 3  # the summary still counts every page
    assert len(_parse(page).find("section", class_="page")) == 2
    assert "1 page(s) with nothing to review left out" in page
    assert "left out" not in build_report(run_records())[0]
