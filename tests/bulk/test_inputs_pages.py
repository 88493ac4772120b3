"""Inputs (files, directories, @LIST, -) and pages (PDF via pypdfium2, multi-page TIFF)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdfium2
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from lingyun.bulk import expand, expand_all, list_inputs, parse_pages
from lingyun.bulk.inputs import InputError
from lingyun.errors import ImageError, UsageError

from .conftest import png


def _tree(root: Path) -> None:
    (root / "a" / "deep").mkdir(parents=True)
    (root / ".hidden").mkdir()
    for name in ("a/1.png", "a/deep/2.JPG", "a/notes.txt", "b.pdf", ".hidden/3.png", "a/.4.png"):
        (root / name).write_bytes(b"x")


def test_directories_are_walked_recursively_in_order(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = list_inputs([str(tmp_path)])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == [
        "b.pdf", "a/1.png", "a/deep/2.JPG"]


def test_glob_filters_directories_but_not_named_files(tmp_path: Path) -> None:
    _tree(tmp_path)
    found = list_inputs([str(tmp_path), str(tmp_path / "a" / "notes.txt")], glob="*.png")
    assert [Path(p).name for p in found] == ["1.png", "notes.txt"]


def test_list_files_and_stdin(tmp_path: Path) -> None:
    _tree(tmp_path)
    listing = tmp_path / "list.txt"
    listing.write_text(f"# my pages\n{tmp_path / 'b.pdf'}\n\n{tmp_path / 'a' / 'deep'}\n")
    stdin = io.StringIO(f"{tmp_path / 'a' / '1.png'}\r\n")
    found = list_inputs([f"@{listing}", "-"], stdin=stdin)
    assert [Path(p).name for p in found] == ["b.pdf", "2.JPG", "1.png"]


def test_missing_paths_are_kept_and_bad_lists_are_named(tmp_path: Path) -> None:
    assert list_inputs([str(tmp_path / "gone.png")]) == [str(tmp_path / "gone.png")]
    with pytest.raises(InputError, match="cannot read the list @.*nolist"):
        list_inputs([f"@{tmp_path / 'nolist'}"])
    with pytest.raises(InputError, match="only once"):
        list_inputs(["-", "-"], stdin=io.StringIO(""))
    (tmp_path / "latin1").write_bytes(b"caf\xe9\n")
    with pytest.raises(InputError, match="not UTF-8"):
        list_inputs([f"@{tmp_path / 'latin1'}"])


@given(st.lists(st.tuples(st.integers(1, 50), st.integers(0, 50) | st.none()), min_size=1,
                max_size=6), st.integers(0, 60))
def test_page_selection_matches_a_reference(ranges, count: int) -> None:
    parts = [f"{a}" if b == 0 else f"{a}-{'' if b is None else a + b}" for a, b in ranges]
    selection = parse_pages(",".join(parts))
    expected: list[int] = []
    for a, b in ranges:
        last = a if b == 0 else (count if b is None else a + b)
        expected += [n for n in range(a, min(last, count) + 1) if n not in expected]
    assert selection.pick(count) == expected


@pytest.mark.parametrize("spec", ["", "0", "3-1", "a", "1-2-3", "-4", "1,,2"])
def test_bad_page_specs_are_named(spec: str) -> None:
    with pytest.raises(UsageError, match="--pages"):
        parse_pages(spec)


def _page_image(label: str, size=(300, 200)) -> Image.Image:
    image = Image.new("RGB", size, "white")
    ImageDraw.Draw(image).rectangle((20, 20, 20 + 40 * len(label), 80), fill="black")
    return image


def _pdf(path: Path, pages: int) -> None:
    images = [_page_image("x" * (n + 1)) for n in range(pages)]
    images[0].save(path, "PDF", save_all=True, append_images=images[1:], resolution=72)


def test_pdf_pages_are_rasterised_one_input_each(tmp_path: Path) -> None:
    _pdf(tmp_path / "doc.pdf", 4)
    inputs = expand(str(tmp_path / "doc.pdf"), parse_pages("1-2,4"), dpi=72)
    assert [(i.page, i.kind) for i in inputs] == [(1, "pdf"), (2, "pdf"), (4, "pdf")]
    rendered = [Image.open(io.BytesIO(i.load())) for i in inputs]
    assert all(r.format == "PNG" and r.size == (300, 200) for r in rendered)
    # Page n has a black bar 40*n pixels long: the pages are the right ones, in order.
    widths = [sum(1 for x in range(300) if r.convert("L").getpixel((x, 50)) < 128)
              for r in rendered]
    assert widths == pytest.approx([41, 81, 161], abs=2)
    assert inputs[2].label.endswith("doc.pdf#4")
    assert len(pypdfium2.PdfDocument(str(tmp_path / "doc.pdf"))) == 4


def test_multi_page_tiff(tmp_path: Path) -> None:
    frames = [_page_image("x" * (n + 1)) for n in range(3)]
    frames[0].save(tmp_path / "scan.tif", save_all=True, append_images=frames[1:])
    inputs = expand(str(tmp_path / "scan.tif"))
    assert [i.page for i in inputs] == [1, 2, 3]
    third = Image.open(io.BytesIO(inputs[2].load())).convert("L")
    assert sum(1 for x in range(300) if third.getpixel((x, 50)) < 128) == pytest.approx(121, abs=2)


def test_broken_and_out_of_range_documents_become_error_inputs(tmp_path: Path) -> None:
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\nnot really")
    _pdf(tmp_path / "two.pdf", 2)
    (tmp_path / "a.png").write_bytes(png(1))
    inputs = expand_all([str(tmp_path / n) for n in ("broken.pdf", "two.pdf", "a.png")],
                        parse_pages("5"))
    assert [(Path(i.source).name, i.page) for i in inputs] == [
        ("broken.pdf", None), ("two.pdf", None), ("a.png", None)]
    with pytest.raises(ImageError, match="cannot open PDF"):
        inputs[0].load()
    with pytest.raises(ImageError, match=r"no page selected by --pages 5; it has 2 page"):
        inputs[1].load()
    assert inputs[2].load() == png(1)
    with pytest.raises(ImageError, match="not found"):
        expand(str(tmp_path / "gone.png"))[0].load()
