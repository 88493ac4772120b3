"""How the HTTP transports name an endpoint and an underlying failure in their messages."""

from __future__ import annotations

__all__ = ["reason", "where"]


def where(url: str) -> str:
    """The endpoint without its query string, for messages."""
    return url.split("?", 1)[0]


def reason(exc: BaseException) -> str:
    """An exception's text, at most 200 characters."""
    text = str(exc) or exc.__class__.__name__
    return text if len(text) <= 200 else text[:200] + "…"
