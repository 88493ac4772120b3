"""Client overhead and concurrency, measured in one run against stand-in services on loopback.

1. Per-request overhead against a bare ``requests.post`` of the same bytes with the same
   headers to the same server (then ``response.json()``), timed call by call, alternating,
   compared by their medians:

   * the client's machinery -- ``Client.send(Client.prepare(...))``: checks, signing, the
     deadline watch, retries, reading the reply into an envelope.  Goal: at most 1.05x.
   * ``Client.recognize`` -- the same plus the typed result (field checks and normalisers
     of the document type), printed beside it.

2. 64 images at 50 ms simulated service latency: sequential calls; the **first** batch of a
   **new** ``Client`` with 16 workers (what a one-shot CLI run sees; goal at least 12x
   sequential), measured on five new clients; then warm batches of one client;
   ``AsyncClient.batch`` at concurrency 64 (goal at least 40x) on aiohttp (the default) and
   on httpx.  The latency is simulated by a minimal asyncio HTTP server in its own process
   that waits 50 ms and answers a recorded envelope -- so the figure measures the client's
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

    def machinery() -> None:
        client.send(client.prepare(IMAGE, "idcard.back"))

    def recognize() -> None:
        client.recognize(IMAGE, "idcard.back")

    calls = {"bare": bare, "client": machinery, "recognize": recognize}
    for call in calls.values():  # warm every connection and code path
        for _ in range(20):
            call()
    times: dict[str, list[float]] = {name: [] for name in calls}
    order = list(calls.items())
    for _ in range(ROUNDS * CALLS):  # call by call, rotating who goes first: drift and
        order = order[1:] + order[:1]  # the server's hiccups hit all alike
        for name, call in order:
            started = time.perf_counter()
            call()
            times[name].append(time.perf_counter() - started)
    bare_s = statistics.median(times["bare"])
    ours_s = statistics.median(times["client"])
    full_s = statistics.median(times["recognize"])
    print(f"per request: bare requests.post + json {bare_s * 1e3:.3f} ms; "
          f"Client.send(prepare()) {ours_s * 1e3:.3f} ms -> {ours_s / bare_s:.3f}x "
          f"(goal <= 1.05x); Client.recognize with the typed result {full_s * 1e3:.3f} ms "
          f"-> {full_s / bare_s:.3f}x")


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

    def first_batch() -> None:
        with Client(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, url) as fresh:
            assert all(item.ok for item in fresh.batch(images, "idcard.back", workers=16))

    firsts = _timed(first_batch, 5)
    print(f"  Client.batch, 16 workers, first batch of a new Client: "
          f"{', '.join(f'{s:.3f}' for s in firsts)} s, median "
          f"{statistics.median(firsts):.3f} s ({sequential / statistics.median(firsts):.1f}x, "
          f"goal >= 12x)")

    def threaded() -> None:
        assert all(item.ok for item in client.batch(images, "idcard.back", workers=16))

    report("Client.batch, 16 workers, one client", sequential, _timed(threaded, BATCHES), 12)

    async def run_async(transport: Any) -> list[float]:
        async with AsyncClient(DEFAULT_APP_KEY, DEFAULT_DEV_KEY, url,
                               transport=transport) as aclient:
            seconds = []
            for _ in range(BATCHES):
                began = time.perf_counter()
                items = [item async for item in aclient.batch(images, "idcard.back",
                                                              workers=64)]
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
