"""The old import path of :class:`lingyun.transports.local.LocalTransport` (the local
service as a client transport), which now lives with the other transports."""

from __future__ import annotations

from ..transports.local import LOCAL_URL, LocalTransport
from .accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY

__all__ = ["DEFAULT_APP_KEY", "DEFAULT_DEV_KEY", "LOCAL_URL", "LocalTransport"]
