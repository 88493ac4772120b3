"""``lingyun serve``: run the local Lingyun-compatible service over HTTP.

Prints where it listens, its engines and the app keys it accepts -- never a developer key.
SIGINT/SIGTERM stop it gracefully: requests in flight get ``--grace`` seconds to finish, what
is left is answered with a retryable envelope (250), and it exits 0 saying it stopped.
Every limit the server enforces (connections, timeouts, queue, image size) is an option here;
docs/service.md explains the defaults.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Callable
from typing import Any

__all__ = ["add_parser", "run"]


def add_parser(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "serve",
        help="run the local Lingyun-compatible OCR service",
        description="Serve the Lingyun protocol (/ocr and /ocr/auto_recognise, GET /health) "
        "with real text recognition (rapidocr, the `local` extra). Recorded answers (replay) "
        "only with --engine replay, each marked with the x-lingyun-replay header.",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=8880, help="port (0 picks a free one)")
    parser.add_argument("--engine", action="append", dest="engines", metavar="NAME",
                        help="engine to route to, in order (repeatable; default: the "
                        "embedded rapidocr engine and local-templates -- replay must be "
                        "named; plugins register more, see docs/plugins.md)")
    parser.add_argument("--device", metavar="DEVICE",
                        help="where the embedded engine's models run: cpu (default), cuda, "
                        "tensorrt, openvino, coreml, directml, or a comma list in order of "
                        "preference (onnxruntime provider names too); the onnxruntime build "
                        "that has it must be installed (LINGYUN_DEVICE; docs/engine.md)")
    parser.add_argument("--processes", type=int, metavar="N",
                        help="recognize in N worker processes (default: one per core, at "
                        "most 8; LINGYUN_ENGINE_PROCESSES)")
    parser.add_argument("--threads", type=int, metavar="T",
                        help="onnxruntime threads per worker process (default 1; "
                        "LINGYUN_ENGINE_THREADS)")
    parser.add_argument("--replay-dir", action="append", default=[], metavar="DIR",
                        help="directory of recorded answers searched before the vendor "
                        "examples (repeatable)")
    parser.add_argument("--accounts", metavar="FILE",
                        help="JSON or TOML file of app key -> developer key")
    parser.add_argument("--account", action="append", default=[], metavar="APP_KEY:DEV_KEY",
                        help="accept this account (repeatable); once any account is "
                        "configured, the built-in lingyun-local account is refused")
    parser.add_argument("--workers", type=_positive(int), default=4,
                        help="recognition threads (default 4)")
    parser.add_argument("--queue", type=_non_negative(int), default=8, metavar="N",
                        help="requests that may wait for a thread; more get a retryable "
                        "busy envelope (250) at once (default 8)")
    parser.add_argument("--queue-timeout", type=_positive(float), default=60.0, metavar="S",
                        help="a request that cannot start recognizing within S seconds is "
                        "answered with a retryable busy envelope (250) (default 60)")
    parser.add_argument("--max-body", type=_positive(int), default=10 * 1024 * 1024,
                        metavar="BYTES",
                        help="largest accepted image (error 230 above; default 10 MiB)")
    parser.add_argument("--max-pixels", type=_positive(int), default=50_000_000, metavar="N",
                        help="largest image in pixels, read from its header before decoding "
                        "(error 230 above; default 50,000,000)")
    parser.add_argument("--max-aspect", type=_positive(float), default=50.0, metavar="RATIO",
                        help="largest long-side/short-side ratio (error 230 above; default 50)")
    parser.add_argument("--skew", type=float, default=15.0, metavar="MINUTES",
                        help="accepted x-request-date clock skew (error 201 outside)")
    parser.add_argument("--max-connections", type=_positive(int), default=1000, metavar="N",
                        help="open connections at most, lowered to fit the descriptor limit; "
                        "at the cap the longest-idle connection is closed (default 1000)")
    parser.add_argument("--idle-timeout", type=_positive(float), default=5.0, metavar="S",
                        help="close a connection silent this long between requests (default 5)")
    parser.add_argument("--header-timeout", type=_positive(float), default=10.0, metavar="S",
                        help="close a connection whose headers take longer (default 10)")
    parser.add_argument("--body-timeout", type=_positive(float), default=30.0, metavar="S",
                        help="close a connection whose body takes longer (default 30)")
    parser.add_argument("--grace", type=_non_negative(float), default=10.0, metavar="S",
                        help="on SIGINT/SIGTERM, time for requests to finish (default 10)")
    parser.add_argument("--trusted-proxy", action="append", default=[], metavar="ADDRESS",
                        help="peer whose X-Forwarded-For is logged as the client "
                        "(repeatable; by default the header is ignored)")
    parser.set_defaults(func=run)


def _positive(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value > 0:
            raise argparse.ArgumentTypeError(f"{text!r} must be more than 0")
        return value
    return parse


def _non_negative(kind: type) -> Callable[[str], Any]:
    def parse(text: str) -> Any:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
        if not value >= 0:
            raise argparse.ArgumentTypeError(f"{text!r} must not be negative")
        return value
    return parse


def use_device(device: str) -> None:
    """Check ``--device`` against the installed onnxruntime now (a one-line error at start,
    not in each worker) and hand it to the engines -- in this process and in the pool's
    worker processes, which inherit the environment -- as ``LINGYUN_DEVICE``."""
    import importlib.util

    from ..errors import ConfigurationError
    from ..service.engines.providers import resolve_providers

    if importlib.util.find_spec("onnxruntime") is None:
        raise ConfigurationError("--device needs onnxruntime, which the embedded engine runs "
                                 "on: pip install 'lingyun[local]'")
    resolve_providers(device)
    os.environ["LINGYUN_DEVICE"] = device


def run(args: argparse.Namespace) -> int:
    import datetime as dt

    from ..errors import ConfigurationError
    from ..service.accounts import Accounts
    from ..service.core import ServiceCore
    from ..service.engines import make_engines
    from ..service.engines.pool import split_from_env
    from ..service.engines.replay import ReplayEngine
    from ..service.http1 import Limits, connection_cap
    from ..service.imageio import ImageLimits
    from ..service.server import ServiceApp, bind, serve

    accounts = Accounts.configured(file=args.accounts, accounts=args.account)
    if args.device is not None:
        use_device(args.device)
    processes, threads = split_from_env()
    engines = make_engines(args.engines, processes=args.processes or processes,
                           threads=args.threads or threads)
    if args.replay_dir:
        engines = [ReplayEngine(args.replay_dir) if isinstance(e, ReplayEngine) else e
                   for e in engines]
    core = ServiceCore(accounts=accounts, engines=engines, max_body=args.max_body,
                       skew=dt.timedelta(minutes=args.skew),
                       image_limits=ImageLimits(args.max_pixels, args.max_aspect))
    limits = Limits(idle_timeout=args.idle_timeout, header_timeout=args.header_timeout,
                    body_timeout=args.body_timeout, max_connections=args.max_connections)
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
    # One name per engine, as --engine takes them (a process pool is named "a+b").
    names = [name for engine in core.engines for name in engine.name.split("+")]
    print(f"engines: {', '.join(names)}", flush=True)
    print(f"accounts (app keys): {', '.join(accounts.app_keys())}", flush=True)
    print(f"limits: {args.workers} workers + {args.queue} queued (for at most "
          f"{args.queue_timeout:g} s), "
          f"{connection_cap(limits)} connections, {args.max_pixels:,} pixels", flush=True)
    app = ServiceApp(core, args.workers, queue=args.queue, queue_timeout=args.queue_timeout,
                     trusted_proxies=args.trusted_proxy)
    serve(app, sock, limits=limits, grace=args.grace)
    print("lingyun local service stopped", flush=True)
    if app.abandoned:
        # A recognition still runs in native code (onnxruntime) and its client already has
        # a retryable answer.  Interpreter shutdown under a running native thread can abort
        # the process, so leave now, with everything written.
        print(f"({app.abandoned} recognition(s) abandoned after the grace period)",
              file=sys.stderr, flush=True)
        logging.shutdown()
        sys.stdout.flush()
        os._exit(0)
    return 0
