"""The HTTP service, as one import: the app, binding and serving, and :class:`LocalServer`.

The pieces live in modules of one job each; this module keeps the names importable from
where they always were (``from lingyun.service.server import LocalServer``):

* :mod:`.app` -- :class:`ServiceApp`, the ASGI application (admission, queue, shutdown, log);
* :mod:`.serving` -- :func:`bind` a listening socket, :func:`serve` on the main thread;
* :mod:`.local` -- :class:`LocalServer`, the service on a background thread;
* :mod:`.http1` -- the HTTP/1.1 front end under both (timeouts, connection cap).
"""

from __future__ import annotations

from .app import BUSY_CODE, DEFAULT_QUEUE, DEFAULT_QUEUE_TIMEOUT, ServiceApp
from .http1 import log_field
from .local import LocalServer
from .serving import bind, serve

__all__ = ["BUSY_CODE", "DEFAULT_QUEUE", "DEFAULT_QUEUE_TIMEOUT", "LocalServer", "ServiceApp",
           "bind", "log_field", "serve"]
