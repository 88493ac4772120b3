"""Hostile inputs for ``lingyun ocr --out``: one record each, bounded memory, the run finishing.

    PYTHONPATH=src python benchmarks/bulk_inputs.py [--frames 3000]

Builds one folder holding every input issue 15 names -- a file whose name is not UTF-8, a
FIFO called ``p.png``, a symlink to ``/dev/zero``, a sparse 20 GB ``.jpg``, a 378-byte-class
TIFF whose frame claims 30000 × 30000 pixels, a PDF with one 7000 × 7000 pt page and one with
a 100000 pt page, a truncated PNG and JPEG -- plus a TIFF of ``--frames`` small frames, and
runs the real ``lingyun ocr`` in a subprocess against ``lingyun serve --engine replay``
(:class:`Service` of ``benchmarks/bulk.py``).  Printed: the exit code, wall time and peak
resident memory of the run (``wait4``'s ``ru_maxrss``), one line per input with its record,
then a second run started on the same output while a first one runs (expected: exit 2 naming
the first's pid) and a ``--resume`` (expected: nothing sent again).
"""

from __future__ import annotations

import argparse
import io
import os
import struct
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bulk import Service, lines, ocr  # benchmarks/bulk.py
from lingyun.bulk.records import read_records


def tiff(frames: list[tuple[int, int, bytes]]) -> bytes:
    """A classic TIFF, one uncompressed 8-bit grey strip per frame (sizes as declared)."""
    out = bytearray(b"II*\x00\x00\x00\x00\x00")
    link = 4
    for width, height, pixels in frames:
        strip = len(out)
        out += pixels + (b"\x00" if len(pixels) % 2 else b"")
        struct.pack_into("<I", out, link, len(out))
        entries = [(256, 4, width), (257, 4, height), (258, 3, 8), (259, 3, 1), (262, 3, 1),
                   (273, 4, strip), (277, 3, 1), (278, 4, height), (279, 4, len(pixels))]
        out += struct.pack("<H", len(entries))
        for tag, kind, value in entries:
            value_bytes = struct.pack("<HH", value, 0) if kind == 3 else struct.pack("<I", value)
            out += struct.pack("<HHI", tag, kind, 1) + value_bytes
        link = len(out)
        out += b"\x00\x00\x00\x00"
    return bytes(out)


def pdf(path: Path, sizes: list[tuple[float, float]]) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument.new()
    for width, height in sizes:
        document.new_page(width, height)
    document.save(str(path))
    document.close()


def build(folder: Path, frames: int) -> None:
    folder.mkdir()
    buffer = io.BytesIO()
    Image.new("L", (64, 32), 200).save(buffer, "PNG")
    good_png = buffer.getvalue()
    with open(os.fsencode(folder) + b"/caf\xe9.png", "wb") as handle:
        handle.write(good_png)
    os.mkfifo(folder / "p.png")
    (folder / "zero.png").symlink_to("/dev/zero")
    with open(folder / "huge.jpg", "wb") as handle:
        handle.truncate(20 << 30)
    (folder / "bomb.tif").write_bytes(tiff([(30000, 30000, bytes(64))]))
    pdf(folder / "poster.pdf", [(7000, 7000)])
    pdf(folder / "giant.pdf", [(100000, 100000)])
    (folder / "cut.png").write_bytes(good_png[:-20])
    jpeg = io.BytesIO()
    Image.new("RGB", (64, 64), "red").save(jpeg, "JPEG")
    (folder / "cut.jpg").write_bytes(jpeg.getvalue()[:-30])
    (folder / "frames.tif").write_bytes(
        tiff([(8, 8, bytes([n % 256]) * 64) for n in range(frames)]))


def wait(child: subprocess.Popen[str]) -> tuple[int, float]:
    """Exit code and peak RSS in MiB of ``child`` (reaped with ``wait4``)."""
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--frames", type=int, default=3000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary)
        build(root / "in", args.frames)
        service = Service(root / "service.log")
        try:
            out = root / "out.jsonl"
            started = time.perf_counter()
            child = ocr(service, str(root / "in"), "--out", str(out), "--workers", "4")
            while lines(out) == 0 and child.poll() is None:
                time.sleep(0.01)
            second = ocr(service, str(root / "in"), "--out", str(out))
            second_code, _ = wait(second)
            second_err = second.stderr.read().strip() if second.stderr else ""
            code, peak = wait(child)
            elapsed = time.perf_counter() - started
            err = child.stderr.read().strip().splitlines() if child.stderr else []
            records = list(read_records(out))
            print(f"run: exit {code}, {elapsed:.1f} s, peak RSS {peak:.0f} MiB, "
                  f"{len(records)} records; {err[-1] if err else ''}")
            per_source = Counter(Path(r["source"]).name for r in records)
            for record in records:
                name = Path(record["source"]).name
                if name == "frames.tif":
                    continue
                what = "ok" if record["ok"] else \
                    f"{record['error']['type']}: {record['error']['message'][-110:]}"
                print(f"  {name} page {record['page']}: {what}")
            ok_frames = sum(1 for r in records
                            if Path(r["source"]).name == "frames.tif" and r["ok"])
            print(f"  frames.tif: {per_source['frames.tif']} records, {ok_frames} ok "
                  f"(of {args.frames} frames)")
            print(f"second run on the same output while the first ran: exit {second_code}; "
                  f"{second_err.splitlines()[-1] if second_err else ''}")
            before = len(service.request_times())
            resumed = ocr(service, str(root / "in"), "--out", str(out), "--resume")
            resumed_code, resumed_peak = wait(resumed)
            summary = resumed.stderr.read().strip().splitlines() if resumed.stderr else []
            print(f"--resume: exit {resumed_code}, peak RSS {resumed_peak:.0f} MiB, "
                  f"{len(service.request_times()) - before} requests sent; "
                  f"{summary[-1] if summary else ''}")
        finally:
            service.stop()


if __name__ == "__main__":
    main()
