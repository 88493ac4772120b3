"""Local-service benchmarks, figures as ratios measured in one run.

    PYTHONPATH=src python benchmarks/service.py [--seconds 3] [--rapidocr-runs 10]

1. Requests per second over loopback HTTP with the replay engine, 1 and 8 client threads
   (one keep-alive ``requests.Session`` per thread), against ``lingyun serve`` running in
   its own process (so client and server do not share a GIL).
2. The rapidocr engine through HTTP versus calling the engine directly on the same image
   (median of N runs each): the HTTP overhead, in percent (target: at most 10 %).
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import requests

from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines.rapidocr import RapidOCREngine, rapidocr_available
from lingyun.service.server import LocalServer
from lingyun.signing import sign

SAMPLES = Path(__file__).resolve().parent.parent / "src" / "lingyun" / "samples"
IDCARD = "capkey=ocr.cloud.template,property=idcard,templateIndex=0,templatePageIndex=0"


def headers(task: str) -> dict[str, str]:
    return {**sign(DEFAULT_DEV_KEY), "x-app-key": DEFAULT_APP_KEY, "x-sdk-version": "5.2",
            "x-task-config": task}


def throughput(url: str, body: bytes, threads: int, seconds: float) -> float:
    counts = [0] * threads
    stop = time.perf_counter() + seconds

    def worker(i: int) -> None:
        with requests.Session() as session:
            while time.perf_counter() < stop:
                reply = session.post(url, data=body, headers=headers(IDCARD), timeout=30)
                assert reply.json()["error"] == 0
                counts[i] += 1

    started = time.perf_counter()
    pool = [threading.Thread(target=worker, args=(i,)) for i in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return sum(counts) / (time.perf_counter() - started)


def rapidocr_overhead(runs: int) -> tuple[float, float]:
    image = (SAMPLES / "page.png").read_bytes()
    engine = RapidOCREngine()
    engine.read_lines(image)  # load the model once, outside the timings
    core = ServiceCore(accounts=Accounts(), engines=[engine])
    task = "capkey=ocr.cloud,lang=chinese_cn,withPosition=1"
    direct, over_http = [], []
    with LocalServer(core, workers=1) as server, requests.Session() as session:
        session.post(server.url, data=image, headers=headers(task), timeout=60)
        for _ in range(runs):  # interleaved, so drift hits both alike
            t = time.perf_counter()
            engine.read_lines(image)
            direct.append(time.perf_counter() - t)
            t = time.perf_counter()
            reply = session.post(server.url, data=image, headers=headers(task), timeout=60)
            over_http.append(time.perf_counter() - t)
            assert reply.headers["json-length"]
    return statistics.median(direct), statistics.median(over_http)


def replay_throughput(body: bytes, seconds: float) -> tuple[float, float]:
    env = {**os.environ, "PYTHONPATH": str(SAMPLES.parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "lingyun", "serve", "--port", "0", "--engine",
                             "replay", "--workers", "8"], env=env, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    try:
        url = proc.stdout.readline().split()[4]
        throughput(url, body, 1, 0.5)  # warm up
        return throughput(url, body, 1, seconds), throughput(url, body, 8, seconds)
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(30)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rapidocr-runs", type=int, default=10)
    args = parser.parse_args()
    body = (SAMPLES / "chinese.png").read_bytes()
    one, eight = replay_throughput(body, args.seconds)
    print(f"replay over loopback HTTP: {one:.0f} req/s with 1 thread, {eight:.0f} req/s with "
          f"8 threads ({eight / one:.2f}x)")
    if not rapidocr_available():
        print("rapidocr: not installed (pip install 'lingyun[local]'), skipped")
        return 0
    direct, over_http = rapidocr_overhead(args.rapidocr_runs)
    overhead = (over_http - direct) / direct * 100
    print(f"rapidocr on page.png: direct {direct * 1000:.1f} ms, through HTTP "
          f"{over_http * 1000:.1f} ms (median of {args.rapidocr_runs}): overhead "
          f"{overhead:+.1f} % (target <= 10 %)")
    return 0 if overhead <= 10 else 1


if __name__ == "__main__":
    raise SystemExit(main())
