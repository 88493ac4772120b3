"""A local, Lingyun-compatible OCR service: the same protocol, real text recognition.

* :mod:`.core` -- validation, routing and encoding, shared by both front ends;
* :mod:`.app` -- the ASGI app with admission, queue and shutdown (``lingyun serve``);
* :mod:`.serving` / :mod:`.local` -- binding and serving it; on a thread for tests
  (:mod:`.server` re-exports all three);
* :mod:`.http1` -- its HTTP/1.1 front end: timeouts, connection cap (asyncio + h11);
* :mod:`.imageio` -- image decoding with header-checked pixel limits;
* :mod:`.transport` -- the old import path of :class:`lingyun.transports.local.LocalTransport`
  (the embedded transport behind ``Client.local()``);
* :mod:`.engines` -- recognition engines as plugins (``rapidocr``, ``replay``);
* :mod:`.control` -- scripted answers for tests (see :mod:`lingyun.pytest_plugin`).
"""

from .accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from .control import Control
from .core import ServiceCore

__all__ = ["DEFAULT_APP_KEY", "DEFAULT_DEV_KEY", "Accounts", "Control", "ServiceCore"]
