"""lingyun: a client for the Lingyun (灵云) image-cloud OCR service.

Quick start::

    import lingyun

    client = lingyun.Client.from_env()           # LINGYUN_* variables, or the local service
    card = client.recognize("id.jpg", "idcard.front")
    print(card["name"].value, card["id_number"].value)

The public surface: :class:`Client` (signed transport, retries, :meth:`Client.batch`), the
error hierarchy in :mod:`lingyun.errors`, :class:`TaskConfig`, the plugin markers
:data:`hookimpl`/:data:`hookspec` with :class:`DocumentType`/:class:`Option` for plugins,
typed results in :mod:`lingyun.results`, and the position-stream decoder :mod:`lingyun.iread`.
"""

from __future__ import annotations

from importlib import metadata as _metadata

from .async_client import AsyncClient
from .batch import BatchAborted, BatchItem
from .client import Client
from .doctypes import DocumentType, Option
from .errors import (
    AccountError,
    ConfigurationError,
    ConnectError,
    CredentialsError,
    DeadlineExceeded,
    DocumentTypeError,
    ImageError,
    LingyunError,
    OptionError,
    ProtocolError,
    ReadError,
    RequestError,
    RoutingError,
    ServiceError,
    TaskConfigError,
    TransientError,
    TransportError,
    UnsupportedError,
    UsageError,
)
from .hookspecs import hookimpl, hookspec
from .plugins import get_plugin_manager
from .taskconfig import TaskConfig

try:
    __version__ = _metadata.version("lingyun")
except _metadata.PackageNotFoundError:  # running from a source tree
    __version__ = "0+unknown"

__all__ = [
    "AccountError",
    "AsyncClient",
    "BatchAborted",
    "BatchItem",
    "Client",
    "ConfigurationError",
    "ConnectError",
    "CredentialsError",
    "DeadlineExceeded",
    "DocumentType",
    "DocumentTypeError",
    "ImageError",
    "LingyunError",
    "Option",
    "OptionError",
    "ProtocolError",
    "ReadError",
    "RequestError",
    "RoutingError",
    "ServiceError",
    "TaskConfig",
    "TaskConfigError",
    "TransientError",
    "TransportError",
    "UnsupportedError",
    "UsageError",
    "__version__",
    "get_plugin_manager",
    "hookimpl",
    "hookspec",
]
