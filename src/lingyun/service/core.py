"""The request-handling core shared by the HTTP server and the embedded mode.

Both front ends call the same two steps, so they give the same bytes for the same request:

1. :meth:`ServiceCore.begin` -- path, method and every header check (SPEC §6 order), and
   the size limit from ``Content-Length`` (230) *before* any body byte is read;
2. :meth:`ServiceCore.finish` -- with the body (read by the front end under the limit):
   sniff the image, ask the scripted :class:`Control`, then the first engine that serves
   the request, and encode the envelope (plus the position stream and ``json-length``).

Errors are envelopes with HTTP 200, as the vendor's service answers them.  A body that is
not an image gets ``-1`` (the vendor has no "bad image" code; its server fails with a
server exception there) and a text saying so.  An image whose header declares more pixels
than :class:`~lingyun.service.imageio.ImageLimits` allow, or too extreme a side ratio, gets
``230`` (not retried by clients) before anything is decoded.  An engine crash is logged with
its traceback and answered ``-1``; the client never sees a traceback.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..doctypes import DocumentType
from ..plugins import get_plugin_manager
from ..protocol import REPLAY_HEADER, describe_bytes, image_format, lower_headers
from .accounts import Accounts
from .control import Control, RecordedRequest
from .engines import Answer, BadImage, Engine, Job, make_engines
from .imageio import ImageLimits, ImageRefused, check, limits_in_effect
from .validation import Capability, Refusal, RequestValidator, parse_task_config

__all__ = ["OCR_PATHS", "SUCCESS_TEXT", "Pending", "Response", "ServiceCore", "sniff_image"]

log = logging.getLogger("lingyun.service")

OCR_PATHS = ("/ocr", "/ocr/auto_recognise")
HEALTH_PATH = "/health"
SUCCESS_TEXT = "请求成功"
_JSON = "application/json; charset=utf-8"


def sniff_image(body: bytes) -> str | None:
    """Why ``body`` is not an image file (JPEG/PNG/BMP/GIF/TIFF/WebP), or ``None``.

    The same signatures the client checks before sending (:func:`lingyun.protocol
    .image_format`), so both sides agree on what an image is.
    """
    if not body:
        return "the request body is empty; send the image file's bytes"
    if image_format(body) is not None:
        return None
    return (f"the {len(body)}-byte request body is not a JPEG, PNG, BMP, GIF, TIFF or WebP "
            f"image: it is {describe_bytes(body)}")


@dataclass(frozen=True)
class Response:
    """HTTP status, headers and body bytes; ``error`` is the envelope's code (for logs)."""

    status: int
    headers: list[tuple[str, str]]
    body: bytes
    error: int | None = None


@dataclass(frozen=True)
class Pending:
    """A request whose headers passed: what it asks for, waiting for its body."""

    method: str
    path: str
    headers: dict[str, str]
    capability: Capability
    engine: Engine | None


def _json_response(status: int, payload: Mapping[str, Any],
                   positions: bytes | None = None, replayed: str | None = None) -> Response:
    code = payload.get("error")
    body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    headers = [("content-type", _JSON)]
    if replayed:
        headers.append((REPLAY_HEADER, replayed))
    if positions is not None:
        headers.append(("json-length", str(len(body))))
        body += positions
    headers.append(("content-length", str(len(body))))
    return Response(status, headers, body, code if isinstance(code, int) else None)


def envelope_response(code: int, text: str, data: Any = None) -> Response:
    payload: dict[str, Any] = {"text": text}
    if data is not None:
        payload["data"] = data
    payload["error"] = code
    return _json_response(200, payload)


class ServiceCore:
    """Validation, routing to engines and encoding, independent of any HTTP server."""

    def __init__(
        self,
        *,
        accounts: Accounts | None = None,
        engines: Sequence[Engine] | None = None,
        control: Control | None = None,
        image_limits: ImageLimits | None = None,
        **validator_options: Any,
    ) -> None:
        self.accounts = accounts if accounts is not None else Accounts()
        self.image_limits = image_limits or ImageLimits()
        self.engines = list(engines) if engines is not None else make_engines()
        self.control = control
        types = get_plugin_manager().document_types()
        self.validator = RequestValidator(self.accounts, types, **validator_options)

    @property
    def max_body(self) -> int:
        return self.validator.max_body

    # -- step 1 ----------------------------------------------------------------------
    def begin(self, method: str, path: str, headers: Mapping[str, str] | Iterable[tuple[str, str]],
              content_length: int | None) -> Pending | Response:
        """Everything decidable without the body: a :class:`Pending`, or the answer now."""
        path = path.split("?", 1)[0]
        if path == HEALTH_PATH:
            if method not in ("GET", "HEAD"):
                return _json_response(405, {"status": "method not allowed"})
            return _json_response(200, {"status": "ok",
                                        "engines": [e.name for e in self.engines]})
        if path.rstrip("/") not in OCR_PATHS:
            return _json_response(404, {"text": f"no API service at {path}; POST to "
                                        f"{' or '.join(OCR_PATHS)}", "error": 260})
        if method != "POST":
            return _json_response(405, {"text": f"{method} is not allowed; POST the image",
                                        "error": 260})
        fields = lower_headers(headers)
        try:
            cap = self.validator.check_headers(fields)
            self.validator.check_size(content_length)
            cap = self.validator.check_capability(cap)
            engine = self._route(cap)
        except Refusal as refusal:
            self._record(method, path, fields, b"", None, refusal.code)
            return envelope_response(refusal.code, refusal.text)
        return Pending(method, path, fields, cap, engine)

    def engine_for(self, document_type: DocumentType) -> Engine | None:
        """The engine that would answer ``document_type`` here, or ``None``.

        Decided from the type's fixed task config, before any image is read: the embedded
        default uses it to refuse, up front, a type no engine here really recognizes.
        """
        config = parse_task_config(document_type.task_config.format())
        cap = Capability(
            capkey=config.get("capkey", "").lower(), lang=config.get("lang"),
            property=config.get("property"), template_index=config.get("templateindex"),
            page_index=config.get("templatepageindex"), document_type=document_type.name,
            config=config)
        return next((engine for engine in self.engines if engine.serves(cap)), None)

    def _route(self, cap: Capability) -> Engine | None:
        for engine in self.engines:
            if engine.serves(cap):
                return engine
        if self.control is not None:
            return None  # a test may script this type; decided when the body arrives
        names = ", ".join(e.name for e in self.engines) or "none"
        code = 262 if cap.property else 260
        raise Refusal(code, f"no engine on this service serves {cap.document_type}; "
                            f"engines here: {names}")

    # -- step 2 ----------------------------------------------------------------------
    def finish(self, pending: Pending, body: bytes) -> Response:
        """Answer a :class:`Pending` request given its whole body."""
        cap = pending.capability
        generation = self.control.generation if self.control is not None else None
        code, response = self._answer(pending, body)
        self._record(pending.method, pending.path, pending.headers, body, cap, code,
                     generation)
        return response

    def _answer(self, pending: Pending, body: bytes) -> tuple[int, Response]:
        cap = pending.capability
        if len(body) > self.max_body:
            return 230, envelope_response(230, f"request body is over the {self.max_body}-byte "
                                               "limit")
        problem = sniff_image(body)
        if problem is not None:
            log.warning("refused a bad image for %s: %s", cap.document_type, problem)
            return -1, envelope_response(-1, f"image could not be decoded: {problem}")
        try:
            check(body, self.image_limits)
        except ImageRefused as refused:
            log.warning("refused an image for %s: %s", cap.document_type, refused.text)
            return refused.code, envelope_response(refused.code, refused.text)
        except BadImage:
            pass  # no readable header: the engine decides (replay does not decode at all)
        scripted = self.control.take(cap.document_type) if self.control else None
        if self.control is not None and self.control.latency > 0:
            time.sleep(self.control.latency)
        if scripted is not None:
            if scripted.error is not None:
                return scripted.error, envelope_response(
                    scripted.error, scripted.text or f"injected error {scripted.error}")
            answer = Answer(scripted.data, scripted.positions, scripted.envelope,
                            replayed="test script")
        elif pending.engine is None:
            names = ", ".join(e.name for e in self.engines) or "none"
            code = 262 if cap.property else 260
            return code, envelope_response(code, f"no engine on this service serves "
                                                 f"{cap.document_type}; engines here: {names}")
        else:
            try:
                with limits_in_effect(self.image_limits):
                    answer = pending.engine.recognize(Job(cap, body))
            except Refusal as refusal:
                return refusal.code, envelope_response(refusal.code, refusal.text)
            except ImageRefused as refused:
                return refused.code, envelope_response(refused.code, refused.text)
            except BadImage as exc:
                log.warning("engine %s could not decode the image: %s", pending.engine.name, exc)
                return -1, envelope_response(-1, f"image could not be decoded: {exc}")
            except Exception:
                log.exception("engine %s failed on %s", pending.engine.name, cap.document_type)
                return -1, envelope_response(-1, "server exception (logged by the service)")
        if answer.envelope is not None:
            payload = answer.envelope
        else:
            payload = {"text": SUCCESS_TEXT, "data": answer.data, "error": 0}
        positions = answer.positions
        if cap.with_position and positions is None:
            positions = b""
        if not cap.with_position:
            positions = None
        code = payload.get("error", 0)
        return (code if isinstance(code, int) else 0), _json_response(
            200, payload, positions, answer.replayed)

    def _record(self, method: str, path: str, headers: dict[str, str], body: bytes,
                cap: Capability | None, code: int, generation: int | None = None) -> None:
        if self.control is None:
            return
        kept = {k: v for k, v in headers.items() if k != "x-session-key"}
        self.control.record(RecordedRequest(
            method, path, kept, body, dict(cap.config) if cap else {},
            cap.document_type if cap else None, code), generation)

    # -- both steps, for embedded callers -----------------------------------------
    def handle(self, method: str, path: str,
               headers: Mapping[str, str] | Iterable[tuple[str, str]],
               body: bytes, content_length: int | None = None) -> Response:
        """The whole exchange in one call (the embedded mode); same bytes as the server."""
        step = self.begin(method, path, headers,
                          len(body) if content_length is None else content_length)
        if isinstance(step, Response):
            return step
        return self.finish(step, body)
