"""Attack the client from a hostile server on loopback and report what happened.

Each row: the attack, what the client raised, how many requests the server received (a
billable call must arrive once), and how long the call took against its deadline.  The
server is the raw-socket one of the test suite (``tests/hostile.py``).

Run from the repository root: ``python benchmarks/hostile.py``.
"""

from __future__ import annotations

import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.conftest import IMAGE  # the smallest body the client accepts as a PNG
from tests.hostile import HostileServer, reply

from lingyun import Client, LingyunError

OK = b'{"error": 0, "text": "ok", "data": {"forms": {"form": "text"}}}'
TIMEOUT = 5.0


def run(name: str, script, **client_options) -> None:
    with HostileServer(lambda sock, n: script(sock, n, server)) as server:
        client = Client("app", "dev-key", server.url, timeout=TIMEOUT, **client_options)
        started = time.monotonic()
        try:
            client.recognize(IMAGE, "text.chinese")
            outcome = "result returned"
        except LingyunError as exc:
            outcome = f"{exc.__class__.__name__}: {str(exc)[:70]}"
        elapsed = time.monotonic() - started
        print(f"| {name} | {outcome} | {server.requests} | {elapsed:.2f} s of {TIMEOUT:.0f} s |")


def silent(sock: socket.socket, number: int, server: HostileServer) -> None:
    server.stop.wait(60)


def half(sock: socket.socket, number: int, server: HostileServer) -> None:
    whole = reply(OK)
    sock.sendall(whole[: len(whole) - 5])


def drip(sock: socket.socket, number: int, server: HostileServer) -> None:
    for byte in reply(OK + b" " * 500):
        if server.stop.wait(1.0):
            return
        sock.sendall(bytes([byte]))


def redirect(sock: socket.socket, number: int, server: HostileServer) -> None:
    sock.sendall(reply(b"", status="307 Temporary Redirect",
                       headers={"Location": "http://127.0.0.1:9/elsewhere"}))


def odd_digits(sock: socket.socket, number: int, server: HostileServer) -> None:
    sock.sendall(reply(OK, headers={"json-length": "\u00b2".encode().decode("latin-1")}))


def busy(sock: socket.socket, number: int, server: HostileServer) -> None:
    sock.sendall(reply(b'{"error": 250, "text": "busy"}' if number < 3 else OK))


def main() -> int:
    print("| attack | client outcome | requests received | time |")
    print("|---|---|---|---|")
    run("no reply (read timeout), retries=2", silent, retries=2)
    run("reply cut mid-body, retries=2", half, retries=2)
    run("reply dripped 1 byte/s, retries=2", drip, retries=2)
    run("307 redirect to another host", redirect)
    run("json-length: ² (non-ASCII digit)", odd_digits)
    run("busy (250) twice, then ok, retries=2", busy, retries=2, backoff=0.01)
    return 0


if __name__ == "__main__":
    sys.exit(main())
