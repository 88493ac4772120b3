"""``lingyun serve``: run the local Lingyun-compatible service over HTTP (uvicorn).

Prints where it listens, its engines and the app keys it accepts -- never a developer key.
SIGINT/SIGTERM stop it gracefully (requests in flight finish, up to 10 s).
"""

from __future__ import annotations

import argparse
import logging
import sys

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the local Lingyun-compatible OCR service",
        description="Serve the Lingyun protocol (/ocr and /ocr/auto_recognise, GET /health) "
        "with real text recognition (rapidocr, the `local` extra) and recorded answers for "
        "every other document type (replay).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8880, help="port (0 picks a free one)")
    parser.add_argument("--engine", action="append", dest="engines", metavar="NAME",
                        help="engine to route to, in order (repeatable; default: rapidocr "
                        "for text when installed, replay for the rest)")
    parser.add_argument("--replay-dir", action="append", default=[], metavar="DIR",
                        help="directory of recorded answers searched before the vendor "
                        "examples (repeatable)")
    parser.add_argument("--accounts", metavar="FILE",
                        help="JSON or TOML file of app key -> developer key")
    parser.add_argument("--account", action="append", default=[], metavar="APP_KEY:DEV_KEY",
                        help="accept this account (repeatable)")
    parser.add_argument("--workers", type=int, default=4,
                        help="recognition threads (default 4)")
    parser.add_argument("--max-body", type=int, default=10 * 1024 * 1024, metavar="BYTES",
                        help="largest accepted image (error 230 above; default 10 MiB)")
    parser.add_argument("--skew", type=float, default=15.0, metavar="MINUTES",
                        help="accepted x-request-date clock skew (error 201 outside)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..errors import ConfigurationError
    from ..service.accounts import Accounts
    from ..service.core import ServiceCore
    from ..service.engines import make_engines
    from ..service.engines.replay import ReplayEngine
    from ..service.server import ServiceApp, bind, uvicorn_server

    accounts = Accounts.configured(file=args.accounts, accounts=args.account)
    engines = make_engines(args.engines)
    if args.replay_dir:
        engines = [ReplayEngine(args.replay_dir) if isinstance(e, ReplayEngine) else e
                   for e in engines]
    core = ServiceCore(accounts=accounts, engines=engines, max_body=args.max_body,
                       skew=dt.timedelta(minutes=args.skew))
    try:
        sock = bind(args.host, args.port)
    except OSError as exc:
        raise ConfigurationError(
            f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}"
        ) from None
    host, port = sock.getsockname()[:2]
    logging.getLogger("lingyun.service").setLevel(logging.INFO)
    access = logging.getLogger("lingyun.service.access")
    access.setLevel(logging.INFO)
    if not access.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(message)s"))
        access.addHandler(handler)
        access.propagate = False
    shown_host = f"[{host}]" if ":" in host else host
    print(f"lingyun local service on http://{shown_host}:{port}/ocr "
          f"(also /ocr/auto_recognise, GET /health)", flush=True)
    print(f"engines: {', '.join(e.name for e in core.engines)}", flush=True)
    print(f"accounts (app keys): {', '.join(accounts.app_keys())}", flush=True)
    server = uvicorn_server(ServiceApp(core, args.workers), log_level="warning")
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:  # uvicorn re-raises SIGINT after its graceful shutdown
        pass
    print("lingyun local service stopped", flush=True)
    return 0
