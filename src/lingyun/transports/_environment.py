"""What the environment says per origin (proxies, CA bundle, netrc), looked up once.

The HTTP libraries read the environment -- and look for ``~/.netrc`` -- on every request when
they trust it; the transports ask :class:`PerOrigin` instead, which asks once per origin.
"""

from __future__ import annotations

import threading
import urllib.parse
from collections.abc import Callable
from typing import Generic, TypeVar

__all__ = ["PerOrigin"]

T = TypeVar("T")


class PerOrigin(Generic[T]):
    """``lookup(url)`` computed once per origin (scheme, host, port) and then remembered:
    how the transports read proxies and the like from the environment, which the HTTP
    libraries would otherwise read again on every call.  Safe to share between threads."""

    def __init__(self, lookup: Callable[[str], T]) -> None:
        self._lookup = lookup
        self._found: dict[tuple[str, str | None, int | None], T] = {}
        self._by_url: dict[str, T] = {}
        self._lock = threading.Lock()

    def __call__(self, url: str) -> T:
        known = self._by_url.get(url)
        if known is not None:  # the same endpoint, call after call: no URL parsing
            return known
        found = self._for_origin(url)
        if len(self._by_url) < 64:
            self._by_url[url] = found
        return found

    def _for_origin(self, url: str) -> T:
        parts = urllib.parse.urlsplit(url)
        origin = (parts.scheme, parts.hostname, parts.port)
        found = self._found.get(origin)
        if found is None:
            with self._lock:
                if origin not in self._found:
                    self._found[origin] = self._lookup(url)
                found = self._found[origin]
        return found
