"""Arguments shared by the commands that talk to a service (credentials, endpoint, headers)."""

from __future__ import annotations

import argparse
import os

from ..client import Client
from ..errors import UsageError

__all__ = ["EMBEDDED_TIMEOUT", "add_client_arguments", "client_from_args", "parse_pairs"]

#: Default deadline of one call on the embedded engine (no endpoint): no network to wait
#: for, only CPU.  ``lingyun ocr`` on a dense 300-dpi A4 page used 26 CPU-seconds and took
#: 92 s on a 2-core machine at load 10-14 (docs/engine.md): 120 s was too close.
EMBEDDED_TIMEOUT = 900.0


def parse_pairs(pairs: list[str] | None, what: str) -> dict[str, str]:
    """``["k=v", ...]`` as a dict; a pair without ``=`` is a usage error naming it."""
    result: dict[str, str] = {}
    for pair in pairs or ():
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"{what} must look like NAME=VALUE, got {pair!r}")
        result[key.strip()] = value.strip()
    return result


def add_client_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group(
        "service", "default: the LINGYUN_* environment variables; with no endpoint, the "
        "embedded local service"
    )
    group.add_argument("--endpoint", help="full URL, e.g. http://host:8880/ocr")
    group.add_argument("--app-key", help="application key (LINGYUN_APP_KEY)")
    group.add_argument(
        "--dev-key",
        help="developer key (prefer LINGYUN_DEV_KEY: command lines are visible to other users)",
    )
    group.add_argument("--sdk-version", help="x-sdk-version header (default 5.2)")
    group.add_argument(
        "--header", action="append", metavar="NAME=VALUE", help="extra header, e.g. x-udid=101:1"
    )
    group.add_argument("--timeout", type=float, metavar="SECONDS",
                       help="total deadline of one call, retries included (default 120; "
                       "900 on the embedded engine)")
    group.add_argument("--retries", type=int,
                       help="retries of failed connections and transient codes (default 2)")


def client_from_args(args: argparse.Namespace, **extra: object) -> Client:
    """The client the arguments describe; ``extra`` keyword arguments go to the Client."""
    overrides = {
        "endpoint": args.endpoint,
        "app_key": args.app_key,
        "dev_key": args.dev_key,
        "sdk_version": args.sdk_version,
        "retries": args.retries,
        "headers": parse_pairs(args.header, "--header") or None,
        "timeout": args.timeout,
    }
    if args.timeout is None and not (args.endpoint or os.environ.get("LINGYUN_ENDPOINT")):
        overrides["timeout"] = EMBEDDED_TIMEOUT
    return Client.from_env(os.environ, **overrides, **extra)
