"""What a document-type plugin registers: :class:`DocumentType` and its :class:`Option` s.

The core knows no document.  A plugin describes one with a dotted name, a title in English
and Chinese, the fixed task-config it sends, the options a caller may add (validated before
anything is sent), and a parser that turns the service's reply into a typed result.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .errors import OptionError, UsageError
from .fields import Field
from .fields.declare import check_unique, fields_from_keys
from .hookspecs import hookimpl
from .taskconfig import TaskConfig

if TYPE_CHECKING:
    from .protocol import Reply
    from .recognisers.page import Page
    from .results import Result

__all__ = ["DocumentType", "Option", "Parser", "registering"]

#: ``parse(reply) -> Result``: turns a successful reply into the document's result type.
Parser = Callable[["Reply"], "Result"]

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


@dataclass(frozen=True)
class DocumentType:
    """A document the service can read, as registered by a plugin.

    ``task_config`` is sent as is; options the caller gives are appended after validation.
    ``fields`` declares the template's fields (:class:`lingyun.fields.Field`: key, Chinese
    name, kind, checks); ``keys`` maps the service's (Chinese) field names to the English keys
    and is derived from ``fields`` -- or given alone as a shorthand for text fields.
    ``deprecated`` is a message: when set, using the type warns.
    ``local_recogniser`` reads the document offline: ``Page -> data`` (the envelope's
    ``data`` in the vendor's shape, see :mod:`lingyun.recognisers`); the local service's
    ``local-templates`` engine serves the type exactly when it has one.
    """

    name: str
    title: str
    title_zh: str
    task_config: TaskConfig
    parse: Parser
    options: tuple[Option, ...] = ()
    keys: Mapping[str, str] = field(default_factory=dict)
    deprecated: str | None = None
    description: str = ""
    fields: tuple[Field, ...] = ()
    local_recogniser: Callable[[Page], dict[str, Any]] | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.task_config, TaskConfig):
            object.__setattr__(self, "task_config", TaskConfig(self.task_config))
        # One mechanism: the declarations are the truth, ``keys`` is their name -> key view.
        declared = tuple(self.fields)
        if self.keys and not declared:
            declared = fields_from_keys(self.keys)
        check_unique(declared, self.name)
        derived = {f.name: f.key for f in declared}
        if self.keys and dict(self.keys) != derived:
            raise UsageError(
                f"{self.name}: keys= disagrees with fields=; give the fields only"
            )
        object.__setattr__(self, "fields", declared)
        object.__setattr__(self, "keys", derived)

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
            "local_recogniser": self.local_recogniser is not None,
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
