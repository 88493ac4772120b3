"""Issue 15's starvation attack, from outside: header-only requests against `lingyun serve`.

    PYTHONPATH=src python benchmarks/header_only.py [--connections 50] [--seconds 20]

Starts ``lingyun serve --engine replay`` with its default limits in a subprocess, opens
``--connections`` connections that each send signed headers with ``Content-Length: 10485760``
and no body, and reopens each one as soon as the server closes it.  Meanwhile a real
:class:`lingyun.Client` (``retries=2``) makes calls one after another for ``--seconds``.
Prints the client's calls, failures, median and worst latency, and how many times the
attackers had to reconnect (the server cut their bodies that never came).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import os
import selectors
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

from lingyun.client import Client
from lingyun.errors import LingyunError

APP_KEY, DEV_KEY = "bench-app", "bench-dev-key"
PNG = (Path(__file__).resolve().parents[1] / "src/lingyun/samples/chinese.png").read_bytes()


def _headers(host: str, port: int) -> bytes:
    when = str(dt.datetime.now())
    session = hashlib.md5((when + DEV_KEY).encode(), usedforsecurity=False).hexdigest()
    return (f"POST /ocr HTTP/1.1\r\nHost: {host}:{port}\r\nx-app-key: {APP_KEY}\r\n"
            f"x-request-date: {when}\r\nx-session-key: {session}\r\nx-sdk-version: 5.2\r\n"
            "x-task-config: capkey=ocr.cloud.bankcard\r\nContent-Length: 10485760\r\n\r\n"
            ).encode("latin-1")


class Crowd(threading.Thread):
    """Header-only connections, each reopened when the server closes it."""

    def __init__(self, host: str, port: int, size: int) -> None:
        super().__init__(daemon=True)
        self.host, self.port, self.size = host, port, size
        self.reconnects = 0
        self.stop = threading.Event()

    def _open(self, selector: selectors.BaseSelector) -> None:
        sock = socket.create_connection((self.host, self.port), timeout=30)
        sock.sendall(_headers(self.host, self.port))
        sock.setblocking(False)
        selector.register(sock, selectors.EVENT_READ)

    def run(self) -> None:
        with selectors.DefaultSelector() as selector:
            for _ in range(self.size):
                self._open(selector)
            while not self.stop.is_set():
                for key, _ in selector.select(0.1):
                    sock = key.fileobj
                    assert isinstance(sock, socket.socket)
                    try:
                        while sock.recv(65536):
                            pass
                    except BlockingIOError:
                        continue  # an answer arrived; the close follows
                    except OSError:
                        pass
                    selector.unregister(sock)
                    sock.close()
                    self._open(selector)
                    self.reconnects += 1
            for key in list(selector.get_map().values()):
                key.fileobj.close()  # type: ignore[union-attr]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=20.0)
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[1] / "src")}
    serve = subprocess.Popen([sys.executable, "-m", "lingyun", "serve", "--port", "0",
                              "--engine", "replay", "--account", f"{APP_KEY}:{DEV_KEY}"],
                             env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                             text=True)
    try:
        assert serve.stdout is not None
        url = serve.stdout.readline().split()[4]
        host, port = url.split("/")[2].rsplit(":", 1)
        crowd = Crowd(host, int(port), args.connections)
        crowd.start()
        latencies, failures = [], 0
        with Client(APP_KEY, DEV_KEY, url, retries=2) as client:
            ends = time.monotonic() + args.seconds
            while time.monotonic() < ends:
                started = time.perf_counter()
                try:
                    client.recognize(PNG, "bankcard")
                    latencies.append(time.perf_counter() - started)
                except LingyunError:
                    failures += 1
        crowd.stop.set()
        crowd.join(30)
    finally:
        serve.terminate()
        serve.wait(60)
    timing = (f"latency median {statistics.median(latencies) * 1000:.1f} ms, worst "
              f"{max(latencies) * 1000:.1f} ms" if latencies else "no call succeeded")
    print(f"{args.connections} header-only connections for {args.seconds:g} s: "
          f"{len(latencies) + failures} calls, {failures} failed; {timing}; "
          f"the attackers reconnected {crowd.reconnects} times")


if __name__ == "__main__":
    main()
