"""Bulk-run figures, measured in one run against ``lingyun serve --engine replay``.

    PYTHONPATH=src python benchmarks/bulk.py [--images 10000] [--workers 8] [--qps-calls 200]

The service runs in its own process; its access log (one line per request, with a
millisecond timestamp) is how requests are counted and timed.  The client is the real
``lingyun ocr`` command in a subprocess.

1. A run over ``--images`` distinct PNGs: images/s, the client's resident memory at the
   first record and at the end (it should stay flat: nothing is kept per image).
2. Kill and resume: the same folder into a new output, ``kill -9`` once a third of the
   records are written, then ``--resume``: records, distinct sources, duplicates, calls the
   journal saw in flight at the kill, and requests the service received in total.
3. ``--qps 20`` over ``--qps-calls`` images: the rate the service saw, first to last
   request, against the 20/s asked (goal: within 5 %).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from PIL import Image

from lingyun.bulk.records import Journal, key_of, read_records
from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY

ROOT = Path(__file__).resolve().parent.parent


def make_images(directory: Path, count: int) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        image = Image.new("L", (32, 16), color=n % 251)
        image.putpixel((n % 32, (n // 32) % 16), 255 - n % 200)
        buffer = io.BytesIO()
        image.save(buffer, format="PNG")
        data = buffer.getvalue() + n.to_bytes(4, "big")  # trailing bytes: distinct files
        (directory / f"{n:06d}.png").write_bytes(data)


class Service:
    """``lingyun serve`` (replay engine) with its access log in a file."""

    def __init__(self, log: Path) -> None:
        self.log = log
        env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "lingyun", "serve", "--port", "0", "--engine", "replay",
             "--workers", "8"], env=env, stdout=subprocess.PIPE,
            stderr=log.open("w"), text=True)
        self.url = self.proc.stdout.readline().split()[4]

    def request_times(self) -> list[dt.datetime]:
        times = []
        for line in self.log.read_text().splitlines():
            if '"POST /ocr' in line:
                times.append(dt.datetime.strptime(line[:23], "%Y-%m-%d %H:%M:%S,%f"))
        return times

    def stop(self) -> None:
        self.proc.send_signal(signal.SIGINT)
        self.proc.wait(30)


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def lines(path: Path) -> int:
    try:
        with path.open("rb") as handle:
            return sum(1 for _ in handle)
    except FileNotFoundError:
        return 0


def ocr(service: Service, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "LINGYUN_ENDPOINT": service.url,
           "LINGYUN_APP_KEY": DEFAULT_APP_KEY, "LINGYUN_DEV_KEY": DEFAULT_DEV_KEY}
    return subprocess.Popen([sys.executable, "-m", "lingyun", "ocr", *args], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def full_run(service: Service, images: Path, out: Path, workers: int, count: int) -> None:
    started = time.perf_counter()
    child = ocr(service, str(images), "--out", str(out), "--workers", str(workers))
    first_rss = last_rss = None
    while child.poll() is None:
        rss = rss_kib(child.pid)
        if rss is not None:
            if first_rss is None and lines(out) > 0:
                first_rss = rss
            last_rss = rss
        time.sleep(0.05)
    elapsed = time.perf_counter() - started
    summary = child.stderr.read().strip().splitlines()[-1]
    assert child.returncode == 0, summary
    records = list(read_records(out))
    assert len(records) == count and all(r["ok"] for r in records)
    print(f"1. {count} images, {workers} workers: {count / elapsed:.0f} images/s wall clock "
          f"(process start included); client RSS {first_rss / 1024:.1f} MiB at the first "
          f"record, {last_rss / 1024:.1f} MiB at the end ({last_rss / first_rss:.2f}x)")
    print(f"   summary: {summary}")


def kill_and_resume(service: Service, images: Path, out: Path, workers: int,
                    count: int) -> None:
    before = len(service.request_times())
    child = ocr(service, str(images), "--out", str(out), "--workers", str(workers))
    while lines(out) < count // 3 and child.poll() is None:
        time.sleep(0.01)
    child.send_signal(signal.SIGKILL)
    child.wait()
    written = list(read_records(out))
    in_flight = Journal.beside(out).in_flight(Counter(key_of(r) for r in written))
    resumed = ocr(service, str(images), "--out", str(out), "--resume", "--workers", str(workers))
    _, err = resumed.communicate()
    assert resumed.returncode == 0, err
    records = list(read_records(out))
    sources = Counter(r["source"] for r in records)
    received = len(service.request_times()) - before
    print(f"2. kill -9 after {len(written)} records, then --resume: {len(records)} records, "
          f"{len(sources)} distinct sources, {sum(n - 1 for n in sources.values())} duplicates; "
          f"{len(in_flight)} calls in flight at the kill (journal); the service received "
          f"{received} requests for {count} images ({received - count} sent twice, "
          f"<= {len(in_flight)} allowed)")


def qps_run(service: Service, images: Path, out: Path, workers: int, calls: int) -> None:
    before = len(service.request_times())
    child = ocr(service, str(images), "--out", str(out), "--workers", str(workers),
                "--qps", "20")
    _, err = child.communicate()
    assert child.returncode == 0, err
    times = service.request_times()[before:]
    span = (times[-1] - times[0]).total_seconds()
    rate = (len(times) - 1) / span
    print(f"3. --qps 20, {workers} workers, {len(times)} calls: measured {rate:.2f}/s "
          f"({(rate / 20 - 1) * 100:+.1f} % from 20/s; goal within 5 %)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--qps-calls", type=int, default=200, help="0 skips part 3")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="lingyun-bench-") as tmp:
        root = Path(tmp)
        make_images(root / "images", args.images)
        make_images(root / "qps", args.qps_calls)
        service = Service(root / "access.log")
        try:
            full_run(service, root / "images", root / "full.jsonl", args.workers, args.images)
            kill_and_resume(service, root / "images", root / "killed.jsonl", args.workers,
                            args.images)
            if args.qps_calls:
                qps_run(service, root / "qps", root / "qps.jsonl", args.workers,
                        args.qps_calls)
        finally:
            service.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
