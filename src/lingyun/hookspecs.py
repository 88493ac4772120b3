"""The hooks a lingyun plugin can implement.

Each function below is a specification: its signature is what the host calls with, and its
docstring is the reference documentation (``docs/plugins.md`` repeats each one with an
example).  Implement a hook in your plugin module with the same name and decorate it with
:data:`lingyun.hookimpl`; you may accept only the arguments you need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .markers import hookimpl, hookspec

if TYPE_CHECKING:
    from .doctypes import DocumentType
    from .protocol import Request
    from .results import Result

__all__ = [
    "hookimpl",
    "hookspec",
    "lingyun_prepare_request",
    "lingyun_process_result",
    "lingyun_read_image",
    "lingyun_register_document_types",
    "lingyun_register_engines",
]


@hookspec
def lingyun_register_document_types(register: Callable[[DocumentType], None]) -> None:
    """Register document types by calling ``register(DocumentType(...))`` once for each.

    Every built-in document (ID card, invoices, text, ...) is registered through this hook,
    exactly as a third-party template is.  Registering a name that another plugin already
    registered is an error naming both plugins.
    """


@hookspec
def lingyun_prepare_request(request: Request) -> None:
    """Adjust a request just before it is signed and sent.

    ``request`` is mutable: change ``request.task_config`` (a :class:`~lingyun.TaskConfig`),
    add to ``request.headers`` (e.g. ``x-udid``), or replace ``request.body``.  The signature
    headers are computed after all implementations ran, so they cannot be forged here.
    """


@hookspec
def lingyun_process_result(result: Result, document_type: DocumentType) -> None:
    """Post-process a parsed result in place (normalize values, add derived fields).

    Called once per successful call, after the document type's parser, before the result is
    returned to the caller.  Implementations mutate ``result``; return values are ignored.
    """


@hookspec(firstresult=True)
def lingyun_read_image(source: Any) -> bytes | None:
    """Turn an image ``source`` into the bytes to send, or return ``None`` to pass.

    The first implementation that returns bytes wins; the built-in one, tried last, reads
    ``bytes``/``bytearray``/``memoryview``, ``str``/``os.PathLike`` paths and binary file
    objects.  Implement this to accept other sources (PIL images, numpy arrays, PDF pages).
    """


@hookspec
def lingyun_register_engines(register: Callable[[str, Callable[[], Any]], None]) -> None:
    """Register recognition engines for the local service: ``register(name, factory)``.

    ``factory()`` builds the engine when a service starts with it (so an engine whose
    optional dependency is missing costs nothing until chosen).  The engine has a ``name``,
    ``serves(capability) -> bool`` and ``recognize(job) -> Answer`` (see
    :mod:`lingyun.service.engines`).  The built-in ``rapidocr`` and ``replay`` engines are
    registered through this hook exactly as a third-party engine is.
    """


@hookspec
def lingyun_register_layouts(register: Callable[[str, Callable[..., Any]], None]) -> None:
    """Register layout engines (reading order) for the embedded engine:
    ``register(name, layout)``.

    ``layout(boxes, *, skew)`` gets the page's line boxes (an ``(n, 4)`` int64 array: left,
    top, right, bottom, in detection order) and its skew in degrees, and returns a
    :class:`~lingyun.geometry.order.ReadingOrder` (order, block and row per line).  The
    built-in ``columns`` and ``xycut`` engines are registered through this hook exactly as a
    third-party one is (see :mod:`lingyun.service.layouts`); ``LINGYUN_LAYOUT=name`` or
    ``arrange(..., layout=name)`` chooses one.
    """
