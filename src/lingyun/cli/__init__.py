"""The ``lingyun`` command line: one module per sub-command, one error policy for all.

Each command module exposes ``add_parser(subparsers)`` and sets ``func=run`` on its parser;
``run(args) -> int`` returns the exit code.  Errors raised by a command are reported here as
one line on stderr (a traceback only with ``--debug``), with distinct exit codes:

====  ===========================================================
0     success
1     an unexpected internal error (a bug: ``--debug`` shows the traceback)
2     usage: bad arguments, options, configuration or image
3     the service refused the call, or its answer broke the protocol
4     network: the service could not be reached or timed out
5     partial: a run of several pages where some failed or were not sent
      (``lingyun ocr``; the summary on stderr counts them by error class)
====  ===========================================================
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys
from collections.abc import Sequence

from ..errors import LingyunError, ProtocolError, ServiceError, TransportError, UsageError

__all__ = ["EXIT_INTERNAL", "EXIT_NETWORK", "EXIT_OK", "EXIT_PARTIAL", "EXIT_SERVICE",
           "EXIT_USAGE", "exit_code_for", "main"]

EXIT_OK = 0
EXIT_INTERNAL = 1
EXIT_USAGE = 2
EXIT_SERVICE = 3
EXIT_NETWORK = 4
EXIT_PARTIAL = 5

#: Sub-command modules, in the order ``lingyun --help`` lists them.
COMMANDS: tuple[str, ...] = ("ocr", "export", "types", "page", "decode", "analyze", "serve",
                            "report")


def exit_code_for(error: BaseException) -> int:
    """The exit code for an error (see the module docstring)."""
    if isinstance(error, TransportError):
        return EXIT_NETWORK
    if isinstance(error, ServiceError | ProtocolError):
        return EXIT_SERVICE
    if isinstance(error, LingyunError):
        return EXIT_USAGE
    return EXIT_INTERNAL


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lingyun",
        description="Lingyun (灵云) image-cloud OCR: recognize documents, list document types, "
        "decode position streams, run a local service.",
    )
    parser.add_argument(
        "--debug", action="store_true", help="show tracebacks and debug logging on errors"
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMANDS:
        importlib.import_module(f"{__name__}.{name}").add_parser(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``lingyun`` console script."""
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.debug else logging.WARNING,
        format="lingyun: %(levelname)s: %(message)s",
    )
    try:
        return int(args.func(args) or EXIT_OK)
    except LingyunError as exc:
        if args.debug:
            raise
        kind = "error" if isinstance(exc, UsageError) else exc.__class__.__name__
        print(f"lingyun: {kind}: {exc}", file=sys.stderr)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        print("lingyun: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except Exception as exc:  # a bug: one line, the traceback only with --debug
        if args.debug:
            raise
        print(f"lingyun: internal error: {exc.__class__.__name__}: {str(exc)[:300]} "
              "(run with --debug for the traceback)", file=sys.stderr)
        return EXIT_INTERNAL


if __name__ == "__main__":
    sys.exit(main())
