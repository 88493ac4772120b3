"""Replies are capped by what the call can be answered with, and a batch as a whole."""

from __future__ import annotations

import struct
import zlib

import pytest

from lingyun import Client, ProtocolError
from lingyun.protocol import DEFAULT_MAX_RESPONSE_BYTES, NODE_SIZE
from lingyun.transports._body import ENVELOPE_ROOM, ReplyLimits, reply_cap
from lingyun.transports.requests import RequestsTransport

from ..conftest import APP_KEY, IMAGE, SECRET_DEV_KEY
from ..hostile import HostileServer, reply


def png_header(width: int, height: int) -> bytes:
    ihdr = b"IHDR" + struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + struct.pack(">I", 13) + ihdr
            + struct.pack(">I", zlib.crc32(ihdr)))


def test_the_cap_follows_the_pixels_and_the_positions() -> None:
    card = reply_cap(False, 1000 * 700)
    assert ENVELOPE_ROOM < card < ENVELOPE_ROOM + 100_000
    page = reply_cap(True, 2480 * 3508)  # an A4 page at 300 dpi, with positions
    assert page > 2480 * 3508 // 64 * NODE_SIZE  # a node for every character it could hold
    assert page < 100 * 1024 * 1024
    assert reply_cap(True, 10**12) == DEFAULT_MAX_RESPONSE_BYTES
    assert reply_cap(True, None) == DEFAULT_MAX_RESPONSE_BYTES  # no size known: the default


def test_a_reply_bigger_than_the_call_can_be_is_refused_before_it_is_read() -> None:
    big = b"x" * (ENVELOPE_ROOM + 1_000_000)
    with HostileServer(lambda sock, number: sock.sendall(reply(big))) as server:
        client = Client(APP_KEY, SECRET_DEV_KEY, server.url, retries=0)
        with pytest.raises(ProtocolError, match="document type and image"):
            client.recognize(IMAGE, "text.chinese")  # a 1 x 1 pixel image
        client.close()


def test_a_batch_shares_one_budget() -> None:
    limits = ReplyLimits(per_call=256 << 20, budget=64 << 20)
    assert limits.limit()[0] == 64 << 20
    limits.reserve(16)
    limit, why = limits.limit()
    assert limit == 4 << 20 and "shared by 16 concurrent calls" in why
    assert limit * 16 <= 64 << 20  # sixteen workers hold at most the budget between them


def test_the_transport_applies_the_shared_budget() -> None:
    body = b"x" * 300_000
    with HostileServer(lambda sock, number: sock.sendall(reply(body))) as server:
        transport = RequestsTransport(reply_budget=2_000_000)
        transport.reserve(10)  # 200,000 bytes per call
        client = Client(APP_KEY, SECRET_DEV_KEY, server.url, transport=transport, retries=0)
        with pytest.raises(ProtocolError, match="declares 300000 bytes.*shared by 10"):
            client.recognize(png_header(4000, 4000), "text.chinese")
        client.close()
