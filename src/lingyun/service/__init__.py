"""A local, Lingyun-compatible OCR service: the same protocol, real text recognition.

* :mod:`.core` -- validation, routing and encoding, shared by both front ends;
* :mod:`.server` -- the HTTP server (``lingyun serve``, uvicorn + a small ASGI app);
* :mod:`.transport` -- the in-process transport behind ``Client.local()`` (no socket);
* :mod:`.engines` -- recognition engines as plugins (``rapidocr``, ``replay``);
* :mod:`.control` -- scripted answers for tests (see :mod:`lingyun.pytest_plugin`).
"""

from .accounts import DEFAULT_APP_KEY, DEFAULT_DEV_KEY, Accounts
from .control import Control
from .core import ServiceCore

__all__ = ["DEFAULT_APP_KEY", "DEFAULT_DEV_KEY", "Accounts", "Control", "ServiceCore"]
