"""What a document-type plugin registers: :class:`DocumentType` and its :class:`Option` s.

The core knows no document.  A plugin describes one with a dotted name, a title in English
and Chinese, the fixed task-config it sends, the options a caller may add (validated before
anything is sent), and a parser that turns the service's reply into a typed result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .errors import OptionError, UsageError
from .fields import Field
from .fields.declare import check_unique, fields_from_keys
from .markers import hookimpl
from .taskconfig import TaskConfig

if TYPE_CHECKING:
    from .protocol import Reply
    from .recognizers.page import Page
    from .results import Result

__all__ = ["DocumentType", "LocalRecognizer", "Option", "Parser", "registering"]

#: ``parse(reply) -> Result``: turns a successful reply into the document's result type.
Parser = Callable[["Reply"], "Result"]
#: ``read(page) -> data``: reads the document offline for the local service.
LocalRecognizer = Callable[["Page"], dict[str, Any]]

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


@dataclass(frozen=True)
class Option:
    """An option a document type accepts, sent as a task-config pair.

    ``type`` is ``str``, ``int`` or ``bool``; ``choices`` restricts the allowed values;
    ``default`` is what the service assumes when the option is absent (documentation only --
    the client sends an option only when the caller gives it).  ``wire`` maps a Python value
    to the string the service expects (``bool`` defaults to ``1``/``0``).
    """

    name: str
    type: type = str
    default: Any = None
    choices: tuple[Any, ...] | None = None
    help: str = ""
    true_false: tuple[str, str] = ("1", "0")

    def to_wire(self, value: Any, *, document_type: str) -> str:
        """Validate ``value`` and return its task-config string, or raise :class:`OptionError`."""
        converted = self._convert(value, document_type)
        if self.choices is not None and converted not in self.choices:
            allowed = ", ".join(repr(c) for c in self.choices)
            raise OptionError(
                f"{document_type}: option {self.name!r} does not allow {value!r}; "
                f"allowed: {allowed}",
                document_type=document_type,
                option=self.name,
            )
        if self.type is bool:
            return self.true_false[0] if converted else self.true_false[1]
        return str(converted)

    def _convert(self, value: Any, document_type: str) -> Any:
        def fail(why: str) -> OptionError:
            return OptionError(
                f"{document_type}: option {self.name!r} {why}, got {value!r}",
                document_type=document_type,
                option=self.name,
            )

        if self.type is bool:
            if isinstance(value, bool):
                return value
            text = str(value).strip().lower()
            if text in _TRUE or text == self.true_false[0].lower():
                return True
            if text in _FALSE or text == self.true_false[1].lower():
                return False
            raise fail("takes a yes/no value")
        if self.type is int:
            if isinstance(value, bool):
                raise fail("takes an integer")
            try:
                return int(str(value).strip(), 10)
            except ValueError:
                raise fail("takes an integer") from None
        if not isinstance(value, str | int | float) or isinstance(value, bool):
            raise fail("takes a string")
        return str(value)

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (for ``lingyun types``)."""
        return {
            "name": self.name,
            "type": self.type.__name__,
            "default": self.default,
            "choices": list(self.choices) if self.choices is not None else None,
            "help": self.help,
        }


@dataclass(frozen=True, init=False)
class DocumentType:
    """A document the service can read, as registered by a plugin.

    ``task_config`` is sent as is (a :class:`~lingyun.TaskConfig` or any ``{name: value}``
    mapping of strings); options the caller gives are appended after validation.
    ``fields`` declares the template's fields (:class:`lingyun.fields.Field`: key, Chinese
    name, kind, checks); ``keys`` maps the service's (Chinese) field names to the English keys
    and is derived from ``fields`` -- or given alone as a shorthand for text fields.
    ``deprecated`` is a message: when set, using the type warns.
    ``local_recognizer`` reads the document offline: ``Page -> data`` (the envelope's
    ``data`` in the vendor's shape, see :mod:`lingyun.recognizers`); the local service's
    ``local-templates`` engine serves the type exactly when it has one.
    (``local_recogniser=``, the earlier spelling, still works and warns.)

    Sequences may be given as lists; the attributes keep tuples, a :class:`TaskConfig` and
    a plain ``dict`` of keys, so a registered type is immutable and hashable.
    """

    name: str
    title: str
    title_zh: str
    task_config: TaskConfig
    parse: Parser
    options: tuple[Option, ...]
    keys: Mapping[str, str]
    deprecated: str | None
    description: str
    fields: tuple[Field, ...]
    local_recognizer: LocalRecognizer | None

    def __init__(
        self,
        name: str,
        title: str,
        title_zh: str,
        task_config: Mapping[str, str] | TaskConfig,
        parse: Parser,
        options: Sequence[Option] = (),
        keys: Mapping[str, str] | None = None,
        deprecated: str | None = None,
        description: str = "",
        fields: Sequence[Field] = (),
        local_recognizer: LocalRecognizer | None = None,
        *,
        local_recogniser: LocalRecognizer | None = None,
    ) -> None:
        if local_recogniser is not None:
            warnings.warn("DocumentType(local_recogniser=...) is deprecated: use "
                          "local_recognizer=", DeprecationWarning, stacklevel=2)
            if local_recognizer is not None:
                raise UsageError(f"{name}: give local_recognizer= only, not local_recogniser=")
            local_recognizer = local_recogniser
        config = task_config if isinstance(task_config, TaskConfig) else TaskConfig(task_config)
        # One mechanism: the declarations are the truth, ``keys`` is their name -> key view.
        declared = tuple(fields)
        if keys and not declared:
            declared = fields_from_keys(keys)
        check_unique(declared, name)
        derived = {f.name: f.key for f in declared}
        if keys and dict(keys) != derived:
            raise UsageError(f"{name}: keys= disagrees with fields=; give the fields only")
        set_ = object.__setattr__
        set_(self, "name", name)
        set_(self, "title", title)
        set_(self, "title_zh", title_zh)
        set_(self, "task_config", config)
        set_(self, "parse", parse)
        set_(self, "options", tuple(options))
        set_(self, "keys", derived)
        set_(self, "deprecated", deprecated)
        set_(self, "description", description)
        set_(self, "fields", declared)
        set_(self, "local_recognizer", local_recognizer)

    @property
    def local_recogniser(self) -> LocalRecognizer | None:
        """Deprecated spelling of :attr:`local_recognizer`."""
        warnings.warn("DocumentType.local_recogniser is deprecated: use local_recognizer",
                      DeprecationWarning, stacklevel=2)
        return self.local_recognizer

    def option(self, name: str) -> Option:
        for opt in self.options:
            if opt.name == name:
                return opt
        known = ", ".join(o.name for o in self.options) or "none"
        raise OptionError(
            f"{self.name}: unknown option {name!r}; accepted options: {known}",
            document_type=self.name,
            option=name,
        )

    def build_task_config(self, options: Mapping[str, Any] | None = None) -> TaskConfig:
        """The task config for one call: the fixed part plus validated ``options``.

        Warns with :class:`DeprecationWarning` for a deprecated type.
        """
        if self.deprecated:
            warnings.warn(f"{self.name}: {self.deprecated}", DeprecationWarning, stacklevel=3)
        config = self.task_config.copy()
        for name, value in (options or {}).items():
            config[name] = self.option(name).to_wire(value, document_type=self.name)
        return config

    def describe(self) -> dict[str, Any]:
        """A JSON-ready description (for ``lingyun types --format json``)."""
        return {
            "name": self.name,
            "title": self.title,
            "title_zh": self.title_zh,
            "task_config": self.task_config.format(),
            "options": [o.describe() for o in self.options],
            "keys": dict(self.keys),
            "fields": [f.describe() for f in self.fields],
            "deprecated": self.deprecated,
            "local_recognizer": self.local_recognizer is not None,
        }


def registering(*documents: DocumentType) -> Callable[[Callable[[DocumentType], None]], None]:
    """A ready ``lingyun_register_document_types`` implementation registering ``documents``.

    A plugin module that only adds document types needs one line::

        lingyun_register_document_types = registering(RECEIPT, INVOICE)
    """

    @hookimpl
    def lingyun_register_document_types(register: Callable[[DocumentType], None]) -> None:
        for document in documents:
            register(document)

    return lingyun_register_document_types
