"""Every error class survives a pickle round trip unchanged (batches on processes or Dask
workers ship them back): same class, same ``args``, same message, same attributes.

The classes are found from the code -- every exception class defined in
:mod:`lingyun.errors`, and every :class:`~lingyun.errors.LingyunError` subclass anywhere in
the package's client side -- so a new class without an example here fails the test.
"""

from __future__ import annotations

import importlib
import inspect
import pickle
import pkgutil
import warnings
from collections.abc import Callable
from typing import Any

import pytest

import lingyun
from lingyun import errors
from lingyun.batch import BatchAborted
from lingyun.bulk.inputs import InputError
from lingyun.bulk.records import RecordsError
from lingyun.exports._model import ExportError
from lingyun.exports.draw import FontNotFoundError
from lingyun.fields.issues import Invalid
from lingyun.geometry.errors import GeometryError
from lingyun.iread.errors import (
    OrphanNodeError,
    RaggedTailError,
    StreamError,
    UnknownNodeTypeError,
)
from lingyun.recognizers.page import PageError

_SKIPPED_PACKAGES = ("lingyun.service", "lingyun.ocrmypdf_plugin", "lingyun.geometry.plots",
                     "lingyun.bulk.dask", "lingyun.cli")


def _stream(cls: type[StreamError]) -> Callable[[], BaseException]:
    return lambda: cls("a bad node", node_index=3, byte_offset=144, stream_index=2)


#: One example of every error class, built the way the package raises it.
EXAMPLES: dict[type[BaseException], Callable[[], BaseException]] = {
    errors.LingyunError: lambda: errors.LingyunError("something failed"),
    errors.UsageError: lambda: errors.UsageError("bad call"),
    errors.ConfigurationError: lambda: errors.ConfigurationError("no app key"),
    errors.TaskConfigError: lambda: errors.TaskConfigError("bad value", key="lang"),
    errors.DocumentTypeError: lambda: errors.DocumentTypeError("unknown type 'x'"),
    errors.OptionError: lambda: errors.OptionError(
        "option 'side' not allowed", document_type="idcard", option="side"),
    errors.ImageError: lambda: errors.ImageError("empty image"),
    errors.ProtocolError: lambda: errors.ProtocolError("not JSON"),
    errors.TransportError: lambda: errors.TransportError("gone"),
    errors.ConnectError: lambda: errors.ConnectError("refused"),
    errors.ReadError: lambda: errors.ReadError("reset mid-reply"),
    errors.DeadlineExceeded: lambda: errors.DeadlineExceeded("30 s passed"),
    errors.ServiceError: lambda: errors.ServiceError(999, "未知"),
    errors.CredentialsError: lambda: errors.error_for_code(191, "app_key错误"),
    errors.RequestError: lambda: errors.error_for_code(230),
    errors.UnsupportedError: lambda: errors.error_for_code(261, "不支持"),
    errors.AccountError: lambda: errors.error_for_code(240, "余额不足"),
    errors.TransientError: lambda: errors.error_for_code(250, "网络错误"),
    errors.RoutingError: lambda: errors.RoutingError(260, "", meaning="custom meaning"),
    BatchAborted: lambda: BatchAborted(errors.error_for_code(240, "余额不足")),
    StreamError: _stream(StreamError),
    RaggedTailError: _stream(RaggedTailError),
    UnknownNodeTypeError: _stream(UnknownNodeTypeError),
    OrphanNodeError: _stream(OrphanNodeError),
    ExportError: lambda: ExportError("unknown format 'x'"),
    FontNotFoundError: lambda: FontNotFoundError("no CJK font"),
    RecordsError: lambda: RecordsError("corrupt line 3"),
    InputError: lambda: InputError("'-' given twice"),
    GeometryError: lambda: GeometryError("boxes: shape (3,) is not (n, 4)"),
    PageError: lambda: PageError("union() of no boxes"),
    Invalid: lambda: Invalid("not a date: '2024-13-01'", "date"),
}


def _error_classes() -> set[type[BaseException]]:
    """Every exception class of :mod:`lingyun.errors`, and every LingyunError subclass of the
    client-side modules (imported here so that their classes exist)."""
    for module in pkgutil.walk_packages(lingyun.__path__, "lingyun."):
        if not module.name.startswith(_SKIPPED_PACKAGES) and not module.name.endswith("__main__"):
            with warnings.catch_warnings():  # deprecated alias modules warn on import
                warnings.simplefilter("ignore", DeprecationWarning)
                try:
                    importlib.import_module(module.name)
                except ImportError:  # an optional dependency (an extra) is not installed
                    continue
    found = {obj for _, obj in inspect.getmembers(errors, inspect.isclass)
             if issubclass(obj, BaseException) and obj.__module__ == errors.__name__}
    pending = [errors.LingyunError]
    while pending:
        cls = pending.pop()
        found.add(cls)
        pending.extend(cls.__subclasses__())
    return {cls for cls in found if cls.__module__.startswith("lingyun.")
            and not cls.__module__.startswith(_SKIPPED_PACKAGES)}


ALL_CLASSES = sorted(_error_classes() | set(EXAMPLES),
                     key=lambda c: f"{c.__module__}.{c.__qualname__}")


def _example(cls: type[BaseException]) -> BaseException:
    """The listed example, or ``cls("...")`` for a class built from a message alone."""
    if cls in EXAMPLES:
        return EXAMPLES[cls]()
    try:
        return cls("an example message")
    except TypeError as exc:
        raise AssertionError(f"{cls.__module__}.{cls.__qualname__} is not built from a "
                             f"message alone ({exc}): add an example to EXAMPLES") from None


def test_every_error_class_is_found() -> None:
    assert set(EXAMPLES) <= _error_classes() | {Invalid}
    assert {StreamError, BatchAborted, ExportError} <= _error_classes()


def _state(error: BaseException) -> dict[str, Any]:
    return {key: (type(value), str(value)) if isinstance(value, BaseException) else value
            for key, value in vars(error).items()}


@pytest.mark.parametrize("cls", ALL_CLASSES, ids=lambda c: c.__qualname__)
@pytest.mark.parametrize("protocol", [2, pickle.HIGHEST_PROTOCOL])
def test_error_survives_pickling(cls: type[BaseException], protocol: int) -> None:
    error = _example(cls)
    assert type(error) is cls
    copy = pickle.loads(pickle.dumps(error, protocol=protocol))
    assert type(copy) is cls
    assert copy.args == error.args
    assert str(copy) == str(error)
    assert _state(copy) == _state(error)


def test_batch_aborted_message_is_not_doubled_by_pickling() -> None:
    error = BatchAborted(errors.error_for_code(240, "余额不足"))
    copy = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(error))))
    assert str(copy).count("not sent") == 1
    assert isinstance(copy.cause, errors.AccountError) and copy.cause.code == 240


def test_option_error_keeps_its_keywords() -> None:
    error = errors.OptionError("no", document_type="idcard", option="side")
    copy = pickle.loads(pickle.dumps(error))
    assert (copy.document_type, copy.option) == ("idcard", "side")
