"""Client overhead and concurrency, measured in one run against the local service on loopback.

1. Per-request overhead: ``Client.recognize`` (prepare, sign, deadline watch, parse) versus a
   bare ``requests.post`` of the same bytes with the same headers to the same server, timed
   call by call, alternating, and compared by their medians.  Goal: at most 1.10x.
2. 64 images at 50 ms simulated service latency: sequential calls, ``Client.batch`` with 16
   workers (goal at least 12x sequential), ``AsyncClient.batch`` at concurrency 64 (goal at
   least 40x sequential) on aiohttp (the default) and on httpx.  Each runs six batches on
   one client: the first (cold: it opens the connections) is printed on its own, the ratio
   is the median of the other five (warm, as every batch but the first of a long run is;
   httpcore's pool is the one that slows on them).
   The latency is simulated by a minimal asyncio HTTP server in its own process that waits
   50 ms and answers a recorded envelope -- so the figure measures the client's
   concurrency, not the local service's own validation work.

Run: ``python benchmarks/client.py`` (needs the ``test`` extra: aiohttp and httpx).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import requests

from lingyun import AsyncClient, Client, signing
from lingyun.service.accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from lingyun.service.core import ServiceCore
from lingyun.service.engines.replay import ReplayEngine
from lingyun.service.server import LocalServer

IMAGE = (Path(__file__).resolve().parents[1] / "src" / "lingyun" / "samples"
         / "english.png").read_bytes()
TASK = "capkey=ocr.cloud.template,property=idcard,templateIndex=0,templatePageIndex=1"
ROUNDS, CALLS = 5, 200


def overhead(url: str) -> None:
    client = Client(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, url)
    headers = {"x-app-key": DEFAULT_APP_KEY, "x-sdk-version": "5.2", "x-task-config": TASK,
               **signing.sign(DEFAULT_DEV_KEY, dt.datetime.now)}
    session = requests.Session()

    def bare() -> None:
        response = session.post(url, data=IMAGE, headers=headers, timeout=30)
        response.json()

    def ours() -> None:
        client.recognize(IMAGE, "idcard.back")

    for call in (bare, ours):  # warm both connections and code paths
        for _ in range(20):
            call()
    times: dict[str, list[float]] = {"bare": [], "client": []}
    for turn in range(ROUNDS * CALLS):  # call by call, alternating who goes first: drift
        pair = (("bare", bare), ("client", ours))  # and the server's hiccups hit both alike
        for name, call in pair if turn % 2 else pair[::-1]:
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    bare_s, ours_s = statistics.median(times["bare"]), statistics.median(times["client"])
    print(f"per request: bare requests.post {bare_s * 1e3:.3f} ms, Client.recognize "
          f"{ours_s * 1e3:.3f} ms -> {ours_s / bare_s:.3f}x (goal <= 1.10x)")


ENVELOPE = (Path(__file__).resolve().parents[1] / "src" / "lingyun" / "service" / "examples"
            / "idcard.back.json").read_bytes()


def _latency_server(port_queue, latency: float) -> None:
    """HTTP/1.1 keep-alive server: each request answered with ENVELOPE after ``latency``."""

    async def handle(reader, writer) -> None:
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = 0
                for line in head.split(b"\r\n"):
                    if line.lower().startswith(b"content-length:"):
                        length = int(line.split(b":", 1)[1])
                await reader.readexactly(length)
                await asyncio.sleep(latency)
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             b"Content-Length: %d\r\n\r\n%s" % (len(ENVELOPE), ENVELOPE))
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()

    async def main() -> None:
        server = await asyncio.start_server(handle, "127.0.0.1", 0, backlog=256)
        port_queue.put(server.sockets[0].getsockname()[1])
        async with server:
            await server.serve_forever()

    asyncio.run(main())


def concurrency() -> None:
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    process = context.Process(target=_latency_server, args=(ports, 0.05), daemon=True)
    process.start()
    url = f"http://127.0.0.1:{ports.get(timeout=30)}/ocr"
    try:
        _concurrency(url)
    finally:
        process.terminate()


def _concurrency(url: str) -> None:
    images = [IMAGE] * 64
    client = Client(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, url)

    started = time.perf_counter()
    for image in images:
        client.recognize(image, "idcard.back")
    sequential = time.perf_counter() - started
    print(f"64 images at 50 ms latency: sequential {sequential:.2f} s")

    def threaded() -> None:
        assert all(item.ok for item in client.batch(images, "idcard.back", workers=16))

    report("Client.batch, 16 workers", sequential, _timed(threaded, BATCHES), 12)

    async def run_async(transport: Any) -> list[float]:
        async with AsyncClient(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, url,
                               transport=transport) as aclient:
            seconds = []
            for _ in range(BATCHES):
                began = time.perf_counter()
                items = [item async for item in aclient.batch(images, "idcard.back",
                                                              concurrency=64)]
                assert all(item.ok for item in items), [i.error for i in items if not i.ok][:1]
                seconds.append(time.perf_counter() - began)
            return seconds

    from lingyun.transports.aiohttp import AiohttpTransport
    from lingyun.transports.httpx import HTTPXTransport

    for name, transport in (("AsyncClient at 64, aiohttp (the default)", AiohttpTransport()),
                            ("AsyncClient at 64, httpx", HTTPXTransport())):
        report(name, sequential, asyncio.run(run_async(transport)), 40)


BATCHES = 6  # one cold, five warm


def _timed(call: Any, times: int) -> list[float]:
    seconds = []
    for _ in range(times):
        began = time.perf_counter()
        call()
        seconds.append(time.perf_counter() - began)
    return seconds


def report(name: str, sequential: float, seconds: list[float], goal: float) -> None:
    cold, warm = seconds[0], statistics.median(seconds[1:])
    print(f"  {name}: cold batch {cold:.3f} s ({sequential / cold:.1f}x), warm "
          f"{', '.join(f'{s:.3f}' for s in seconds[1:])} s, median {warm:.3f} s "
          f"({sequential / warm:.1f}x, goal >= {goal:g}x)")


def main() -> int:
    core = ServiceCore(accounts=Accounts(), engines=[ReplayEngine()])
    with LocalServer(core) as server:
        print(f"python {sys.version.split()[0]}, local service (replay engine) at {server.url}")
        overhead(server.url)
    concurrency()
    return 0


if __name__ == "__main__":
    sys.exit(main())
