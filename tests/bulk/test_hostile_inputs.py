"""Inputs that attack a bulk run: each becomes one record for that input, and the run goes on.

Odd names (not UTF-8), files that are not regular files (a FIFO, a symlink to ``/dev/zero``),
a sparse file claiming 20 GB -- each is one error record (or, for the odd name, one ordinary
record that names the file exactly), never a crash, a hang or an unbounded read.
"""

from __future__ import annotations

import base64
import io
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from lingyun.bulk import expand
from lingyun.bulk.files import from_name_bytes, portable, read_file
from lingyun.bulk.records import key_of, read_records
from lingyun.cli import EXIT_PARTIAL, main
from lingyun.errors import ImageError
from lingyun.pytest_plugin import LingyunService

from .conftest import png

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds")


def _odd_folder(root: Path) -> tuple[bytes, bytes]:
    """A folder with a good PNG under a Latin-1 name, and a FIFO under an invalid name."""
    root.mkdir()
    good = os.fsencode(root) + b"/caf\xe9.png"
    with open(good, "wb") as handle:
        handle.write(png(7))
    fifo = os.fsencode(root) + b"/pipe\xff.png"
    os.mkfifo(fifo)
    return good, fifo


@posix_only
def test_non_utf8_names_are_recorded_exactly_and_resume_skips_them(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good, fifo = _odd_folder(tmp_path / "in")
    out = tmp_path / "out.jsonl"
    argv = ["ocr", str(tmp_path / "in"), "--out", str(out)]
    assert main(argv) == EXIT_PARTIAL  # the FIFO is an error record; the run finished
    records = {r["ok"]: r for r in read_records(out)}
    assert len(list(read_records(out))) == 2
    ok, failed = records[True], records[False]
    assert base64.b64decode(ok["path_bytes"]) == good  # the exact name, losslessly
    assert ok["source"].endswith("caf\\xe9.png")  # readable, and valid UTF-8
    assert base64.b64decode(failed["path_bytes"]) == fifo
    assert failed["error"]["type"] == "ImageError"
    assert "FIFO" in failed["error"]["message"] and "pipe\\xff.png" in failed["error"]["message"]
    assert len(service_env.requests) == 1
    capsys.readouterr()
    service_env.reset()
    assert main([*argv, "--resume"]) == 0
    assert "2 already in the output" in capsys.readouterr().err
    assert service_env.requests == []  # nothing billed twice
    assert len(list(read_records(out))) == 2


def test_a_record_key_survives_the_trip_through_path_bytes() -> None:
    from lingyun.bulk.records import make_record, record_key

    name = os.fsdecode(b"dir/\xff\xfe.png")
    record = make_record(name, None, None, "text", {}, error=ImageError(f"bad {name}"))
    assert from_name_bytes(record["path_bytes"]) == name
    assert key_of(record) == record_key(None, "text", {}, source=name, page=None)
    assert record["error"]["message"] == "bad dir/\\xff\\xfe.png"
    assert portable(name).encode("utf-8")


@posix_only
def test_a_fifo_a_device_link_and_a_sparse_giant_are_refused_without_reading(
    tmp_path: Path
) -> None:
    fifo = tmp_path / "p.png"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.png"
    zero.symlink_to("/dev/zero")
    sparse = tmp_path / "huge.jpg"
    with open(sparse, "wb") as handle:
        handle.truncate(20 << 30)  # 20 GB of nothing, no disk used
    expected = {fifo: "is a FIFO", zero: "character device (through a symlink)",
                sparse: "is 20.0 GB, over the 256.0 MB"}
    for path, words in expected.items():
        (page,) = expand(str(path))  # listing must not block on the FIFO
        with pytest.raises(ImageError, match=words.replace("(", r"\(").replace(")", r"\)")):
            page.load()
    with pytest.raises(ImageError, match="not found"):
        read_file(str(tmp_path / "gone.png"))
    with pytest.raises(ImageError, match="over the 10 bytes"):
        small = tmp_path / "small.png"
        small.write_bytes(png(1))
        read_file(str(small), limit=10)


@posix_only
def test_a_run_over_hostile_files_gives_one_record_each(
    service_env: LingyunService, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    os.mkfifo(folder / "p.png")
    (folder / "zero.png").symlink_to("/dev/zero")
    with open(folder / "huge.jpg", "wb") as handle:
        handle.truncate(20 << 30)
    (folder / "fine.png").write_bytes(png(3))
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(folder), "--out", str(out)]) == EXIT_PARTIAL
    records = list(read_records(out))
    assert sorted(Path(r["source"]).name for r in records) == [
        "fine.png", "huge.jpg", "p.png", "zero.png"]
    assert [r["ok"] for r in records].count(True) == 1
    assert {r["error"]["type"] for r in records if not r["ok"]} == {"ImageError"}
    assert len(service_env.requests) == 1


def _tiff(frames: list[tuple[int, int, bytes]]) -> bytes:
    """A classic little-endian TIFF, one uncompressed 8-bit grey strip per frame.

    A frame's declared width and height need not match its pixel bytes: that is how a
    few hundred bytes claim 30000 × 30000 pixels.
    """
    import struct

    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    previous_next = 4  # where the offset of the next IFD is to be written
    for width, height, pixels in frames:
        strip = len(out)
        out += pixels
        if len(out) % 2:
            out += b"\x00"
        ifd = len(out)
        struct.pack_into("<I", out, previous_next, ifd)
        entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                   (273, 4, strip), (277, 3, 1), (278, 4, height), (279, 4, len(pixels))]
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            packed = struct.pack("<H", value) + b"\x00\x00" if kind == 3 else \
                struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + packed
        previous_next = len(out)
        out += b"\x00\x00\x00\x00"
    return bytes(out)


def _grey(value: int, size: int = 8) -> tuple[int, int, bytes]:
    return size, size, bytes([value]) * (size * size)


def test_a_tiff_frame_claiming_30000_squared_is_refused_at_listing(tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.tif"
    bomb.write_bytes(_tiff([(30000, 30000, b"\x00" * 64)]))
    assert bomb.stat().st_size < 400
    (page,) = expand(str(bomb))
    assert page.problem is not None and "page 1 of" in page.problem
    assert "30000 × 30000 px" in page.problem and "50,000,000-pixel limit" in page.problem
    mixed = tmp_path / "mixed.tif"  # a bomb in the middle of good frames
    mixed.write_bytes(_tiff([_grey(10), (40000, 40000, b"\x00" * 64), _grey(30)]))
    pages = expand(str(mixed))
    assert [p.problem is None for p in pages] == [True, False, True]
    from PIL import Image

    third = Image.open(io.BytesIO(pages[2].load()))
    assert third.size == (8, 8) and third.getpixel((0, 0)) == 30
    with pytest.raises(ImageError, match="page 2 of .*40000 × 40000 px"):
        pages[1].load()


def test_broken_tiff_chains_are_named_not_raised(tmp_path: Path) -> None:
    import struct

    cut = tmp_path / "cut.tif"
    cut.write_bytes(_tiff([_grey(1), _grey(2)])[:-20])
    (page,) = expand(str(cut))
    assert "directory of page 2" in (page.problem or "")
    loop = bytearray(_tiff([_grey(1)]))
    struct.pack_into("<I", loop, len(loop) - 4, struct.unpack_from("<I", loop, 4)[0])
    (tmp_path / "loop.tif").write_bytes(bytes(loop))
    assert [p.page for p in expand(str(tmp_path / "loop.tif"))] == [1]  # a loop ends the chain


def test_multi_page_tiff_costs_linear_directory_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image, TiffImagePlugin

    from lingyun.bulk import tiff

    count = 150
    path = tmp_path / "long.tif"
    path.write_bytes(_tiff([_grey(n) for n in range(count)]))
    tiff.release()
    reads = 0
    original = TiffImagePlugin.ImageFileDirectory_v2.load

    def counting(self, fp):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return original(self, fp)

    monkeypatch.setattr(TiffImagePlugin.ImageFileDirectory_v2, "load", counting)
    pages = expand(str(path))
    assert len(pages) == count and reads == 0  # listing parses the directories itself
    values = [Image.open(io.BytesIO(p.load())).getpixel((0, 0)) for p in pages]
    tiff.release()
    assert values == list(range(count))
    assert reads <= 4 * count  # (3 per frame today) reopening per page walks ~count²/2


def _pdf_pages(path: Path, sizes: list[tuple[float, float]]) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for width, height in sizes:
        document.new_page(width, height)
    document.save(str(path))
    document.close()


def test_pdf_pages_are_rendered_within_the_pixel_limit_or_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PIL import Image

    from lingyun.bulk import pdf

    path = tmp_path / "x.pdf"
    _pdf_pages(path, [(3000, 3000), (100000, 100000), (300, 200)])
    assert path.stat().st_size < 2000
    monkeypatch.setattr(pdf, "MAX_PIXELS", 2_000_000)  # the same rule, a cheaper render
    big, huge, small = expand(str(path), dpi=200)
    rendered = Image.open(io.BytesIO(big.load()))
    assert 1_900_000 <= rendered.width * rendered.height <= 2_000_000
    with pytest.raises(ImageError, match=r"page 2 of .*x\.pdf is 100000 × 100000 pt"):
        huge.load()
    assert Image.open(io.BytesIO(small.load())).size == (834, 556)  # 200 dpi (rounded up)
    # At the real limit, a 7000 pt page is drawn at ~72 dpi, not 200 dpi (19444² px).
    scale = pdf.render_scale(7000, 7000, 200, max_pixels=50_000_000)
    assert (7000 * scale) ** 2 <= 50_000_000 and scale * 72 > 70
    with pytest.raises(ImageError, match="no drawable size"):
        pdf.render_scale(0, 100, 200)


def test_a_library_exception_becomes_the_inputs_image_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lingyun.bulk import pages as pages_module

    path = tmp_path / "x.pdf"
    _pdf_pages(path, [(100, 100)])

    def out_of_memory(*args: object) -> bytes:
        raise MemoryError()

    monkeypatch.setattr(pages_module, "render_page", out_of_memory)
    (page,) = expand(str(path))
    with pytest.raises(ImageError, match=r"page 1 of .*x\.pdf cannot be read: MemoryError: "
                                         "no message"):
        page.load()

    def broken_count(path: str) -> int:
        raise RuntimeError("pdfium said no")

    monkeypatch.setattr(pages_module, "page_count", broken_count)
    (page,) = expand(str(path))  # listing never raises
    with pytest.raises(ImageError, match="cannot be listed: RuntimeError: pdfium said no"):
        page.load()


def test_truncated_png_and_jpeg_are_image_errors_never_sent(
    service_env: LingyunService, tmp_path: Path
) -> None:
    from PIL import Image

    folder = tmp_path / "in"
    folder.mkdir()
    whole = png(5)
    (folder / "cut.png").write_bytes(whole[: len(whole) - 20])
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(jpeg, "JPEG")
    (folder / "cut.jpg").write_bytes(jpeg.getvalue()[:-30])
    (folder / "whole.jpg").write_bytes(jpeg.getvalue() + b"camera trailer")
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(folder), "--out", str(out)]) == EXIT_PARTIAL
    by_name = {Path(r["source"]).name: r for r in read_records(out)}
    assert by_name["whole.jpg"]["ok"]
    for name, words in (("cut.png", "PNG is truncated"), ("cut.jpg", "JPEG is truncated")):
        error = by_name[name]["error"]
        assert error["type"] == "ImageError" and words in error["message"], error
    assert len(service_env.requests) == 1  # only the whole image was sent (and billed)


def test_a_run_over_a_bomb_tiff_and_a_giant_pdf_page_finishes(
    service_env: LingyunService, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bomb.tif").write_bytes(_tiff([(30000, 30000, b"\x00" * 64)]))
    _pdf_pages(folder / "giant.pdf", [(100000, 100000), (200, 100)])
    (folder / "fine.png").write_bytes(png(9))
    out = tmp_path / "out.jsonl"
    assert main(["ocr", str(folder), "--out", str(out)]) == EXIT_PARTIAL
    records = {(Path(r["source"]).name, r["page"]): r for r in read_records(out)}
    assert sorted(records) == [("bomb.tif", 1), ("fine.png", None), ("giant.pdf", 1),
                               ("giant.pdf", 2)]
    assert records[("fine.png", None)]["ok"] and records[("giant.pdf", 2)]["ok"]
    assert "30000 × 30000 px" in records[("bomb.tif", 1)]["error"]["message"]
    assert "page 1 of" in records[("giant.pdf", 1)]["error"]["message"]


def test_a_tree_deeper_than_the_recursion_limit_is_listed(tmp_path: Path) -> None:
    from lingyun.bulk import list_inputs

    depth = sys.getrecursionlimit() + 100
    folder = os.open(tmp_path, os.O_RDONLY)
    try:  # built relative to each parent folder, one level at a time
        for _ in range(depth):
            os.mkdir("d", dir_fd=folder)
            inner = os.open("d", os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        created = os.open("x.png", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
        os.close(created)
    finally:
        os.close(folder)
    try:
        found = list_inputs([str(tmp_path)])
        assert len(found) == 1  # the file, or the folder too deep to open (its error record)
        assert found[0].endswith(("/d/x.png", "/d"))
    finally:
        _flatten(tmp_path)  # shutil.rmtree (pytest's clean-up) recurses too


def _flatten(root: Path) -> None:
    """Remove the ``d/d/d/...`` chain under ``root`` one level at a time."""
    while (root / "d").exists():
        if (root / "d" / "d").exists():
            os.rename(root / "d" / "d", root / "next")
        for leftover in (root / "d").iterdir():
            leftover.unlink()
        os.rmdir(root / "d")
        if (root / "next").exists():
            os.rename(root / "next", root / "d")


def test_a_sparse_giant_pdf_is_refused_at_listing(tmp_path: Path) -> None:
    giant = tmp_path / "giant.pdf"
    with open(giant, "wb") as handle:
        handle.write(b"%PDF-1.7\n")
        handle.truncate(20 << 30)  # PDFium would scan 20 GB of zeros for a cross-reference
    (page,) = expand(str(giant))
    assert "is 20.0 GB, over the 4.0 GB a PDF may be" in (page.problem or "")


def test_an_image_over_the_byte_limit_declaring_too_many_pixels_is_not_decoded(
    service_env: LingyunService, tmp_path: Path
) -> None:
    from PIL import Image

    wide = tmp_path / "wide.png"
    Image.new("1", (12000, 5000)).save(wide)  # 60 MP of one colour: a few KB of PNG
    out = tmp_path / "out.jsonl"
    code = main(["ocr", str(wide), "--out", str(out), "--max-bytes", "1024"])
    (record,) = read_records(out)
    assert code != 0 and not record["ok"]
    assert record["error"]["type"] == "ImageError"
    assert "12000 × 5000 px (60,000,000 pixels), over the 50,000,000" in \
        record["error"]["message"]
    assert service_env.requests == []


@posix_only
def test_a_folder_named_in_latin_1_prints_and_records(
    service_env: LingyunService, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    folder = os.fsencode(tmp_path) + b"/scans-\xe9t\xe9"
    os.mkdir(folder)
    for n in (1, 2):
        with open(folder + f"/{n}.png".encode(), "wb") as handle:
            handle.write(png(n))
    assert main(["ocr", os.fsdecode(folder), "--format", "json"]) == 0
    printed = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [Path(p["source"]).parent.name for p in printed] == ["scans-\\xe9t\\xe9"] * 2
    out = tmp_path / "out.jsonl"
    assert main(["ocr", os.fsdecode(folder), "--out", str(out)]) == 0
    assert sorted(base64.b64decode(r["path_bytes"]) for r in read_records(out)) == [
        folder + b"/1.png", folder + b"/2.png"]


def test_overlapping_tiff_directories_are_refused(tmp_path: Path) -> None:
    import struct

    data = bytearray(40)
    data[:8] = b"II*\x00" + struct.pack("<I", 8)
    struct.pack_into("<H", data, 8, 2)  # directory at 8: two entries, next at 34
    struct.pack_into("<H", data, 10, 2)  # ...whose first tag is the count of one at 10
    struct.pack_into("<I", data, 34, 10)  # next: 10, overlapping the first
    (tmp_path / "overlap.tif").write_bytes(bytes(data))
    (page,) = expand(str(tmp_path / "overlap.tif"))
    assert "overlaps another" in (page.problem or "")


@posix_only
def test_client_batch_paths_refuse_fifos_and_device_links(
    lingyun_client: Any, tmp_path: Path
) -> None:
    fifo = tmp_path / "p.png"
    os.mkfifo(fifo)
    zero = tmp_path / "zero.png"
    zero.symlink_to("/dev/zero")
    fine = tmp_path / "fine.png"
    fine.write_bytes(png(4))
    items = list(lingyun_client.batch([str(fifo), zero, str(fine)], "text.chinese",
                                      ordered=True))
    assert [item.ok for item in items] == [False, False, True]
    assert "FIFO" in str(items[0].error) and "character device" in str(items[1].error)


def test_only_real_png_and_jpeg_starts_are_judged_for_truncation() -> None:
    from lingyun.bulk.files import check_complete

    check_complete(b"\x89PNG\r\n\x1a\n" + b"test image", "fixture.png")  # not a PNG: not ours
    check_complete(b"\xff\xd8\xff", "bare.jpg")
    with pytest.raises(ImageError, match="PNG is truncated"):
        check_complete(png(1)[:-12], "cut.png")
    check_complete(png(1) + b"trailing", "whole.png")
