"""The plugin host: one pluggy manager, its built-in plugins, and third-party discovery.

Built-in plugins are plain modules listed in :data:`DEFAULT_PLUGINS` and registered by the
same call as third-party ones.  Third-party plugins arrive through the ``lingyun``
entry-point group, loaded lazily on first use (not at import).  Environment switches:

* ``LINGYUN_DISABLE_PLUGIN_AUTOLOAD=1`` -- load no entry points (built-ins still load);
* ``LINGYUN_PLUGINS=name1,name2`` -- load only the entry points with these names;
* ``LINGYUN_BLOCK_PLUGINS=name1,name2`` -- register neither these entry points nor these
  built-ins (``lingyun.documents.pid``, say), like pytest's ``-p no:NAME``.
"""

from __future__ import annotations

import difflib
import importlib
import os
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pluggy

from . import hookspecs
from .doctypes import DocumentType
from .errors import DocumentTypeError, UsageError

__all__ = [
    "DEFAULT_PLUGINS",
    "ENTRY_POINT_GROUP",
    "LingyunPluginManager",
    "PluginInfo",
    "get_plugin_manager",
]

ENTRY_POINT_GROUP = "lingyun"

DEFAULT_PLUGINS: tuple[str, ...] = (
    "lingyun.documents.idcard",
    "lingyun.documents.vlcard",
    "lingyun.documents.dlcard",
    "lingyun.documents.vat",
    "lingyun.documents.text",
    "lingyun.documents.bankcard",
    "lingyun.documents.bizcard",
    "lingyun.documents.bl",
    "lingyun.documents.pid",
    "lingyun.documents.pcn",
    "lingyun.documents.hkidcard",
    "lingyun.documents.ab",
    "lingyun.documents.vsi",
    "lingyun.documents.hm2",
    "lingyun.images",
)


def _document_name(owner: str, document: object) -> str:
    if not isinstance(document, DocumentType):
        raise UsageError(f"plugin {owner!r} registered {document!r}, not a DocumentType")
    return document.name


def _env_list(name: str) -> set[str] | None:
    value = os.environ.get(name)
    if value is None:
        return None
    return {part.strip() for part in value.split(",") if part.strip()}


class PluginInfo:
    """Where a plugin came from: its registered name and, for entry points, its distribution."""

    __slots__ = ("builtin", "distribution", "name", "version")

    def __init__(
        self, name: str, distribution: str | None, version: str | None, builtin: bool
    ) -> None:
        self.name = name
        self.distribution = distribution
        self.version = version
        self.builtin = builtin

    def label(self) -> str:
        if self.builtin:
            return f"{self.name} (built-in)"
        if self.distribution:
            return f"{self.name} ({self.distribution} {self.version})"
        return self.name

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "distribution": self.distribution,
            "version": self.version,
            "builtin": self.builtin,
        }


class LingyunPluginManager(pluggy.PluginManager):
    """A pluggy manager that also owns the registry of document types.

    The registry is collected from ``lingyun_register_document_types`` on first use and
    rebuilt whenever a plugin is registered or unregistered, so tests and applications can
    add plugins at any time.
    """

    def __init__(self) -> None:
        super().__init__("lingyun")
        self.add_hookspecs(hookspecs)
        self._types: dict[str, DocumentType] | None = None
        self._type_plugins: dict[str, str] = {}
        self._lock = threading.RLock()

    # -- registration bookkeeping -------------------------------------------------------
    def register(self, plugin: Any, name: str | None = None) -> str | None:
        """Register ``plugin``; a hook name it misspells fails for this plugin alone.

        pytest's ``check_pending`` makes a misspelled ``lingyun_*`` hook loud; here the
        offending plugin is also unregistered again, so the manager stays usable for every
        plugin registered before and after it.
        """
        with self._lock:
            result = super().register(plugin, name)
            try:
                self.check_pending()
            except pluggy.PluginValidationError as exc:
                super().unregister(plugin)
                raise UsageError(
                    f"plugin {name or getattr(plugin, '__name__', plugin)!r} was not "
                    f"registered: {exc}") from None
            finally:
                self._types = None
            return result

    def unregister(self, plugin: Any = None, name: str | None = None) -> Any:
        with self._lock:
            result = super().unregister(plugin, name)
            self._types = None
            return result

    def set_blocked(self, name: str) -> None:
        with self._lock:
            super().set_blocked(name)
            self._types = None

    # -- document types ----------------------------------------------------------------
    def collect(
        self, hook_name: str, key: Callable[..., str], what: str
    ) -> dict[str, tuple[str, tuple[Any, ...]]]:
        """Call a ``register``-callback hook impl by impl: ``{key: (plugin, args)}``.

        Calling each implementation separately attributes every registration to its plugin;
        a key registered twice is a :class:`UsageError` naming both plugins.
        """
        found: dict[str, tuple[str, tuple[Any, ...]]] = {}
        for impl in getattr(self.hook, hook_name).get_hookimpls():

            def register(*args: Any, _owner: str = impl.plugin_name) -> None:
                name = key(_owner, *args)
                if name in found:
                    raise UsageError(
                        f"{what} {name!r} is registered twice: by plugin {found[name][0]!r} "
                        f"and by plugin {_owner!r}"
                    )
                found[name] = (_owner, args)

            impl.function(register=register)
        return found

    def _collect(self) -> dict[str, DocumentType]:
        with self._lock:
            if self._types is None:
                found = self.collect("lingyun_register_document_types", _document_name,
                                     "document type")
                self._types = {name: args[0] for name, (_, args) in found.items()}
                self._type_plugins = {name: owner for name, (owner, _) in found.items()}
            return self._types

    def document_types(self) -> list[DocumentType]:
        """Every registered document type, in registration order."""
        return list(self._collect().values())

    def document_type(self, name: str) -> DocumentType:
        """The document type called ``name``; :class:`DocumentTypeError` with suggestions."""
        types = self._collect()
        try:
            return types[name]
        except KeyError:
            close = difflib.get_close_matches(name, list(types), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise DocumentTypeError(
                f"unknown document type {name!r}{hint} (`lingyun types` lists them)"
            ) from None

    def plugin_for(self, document_type: str) -> PluginInfo:
        """Which plugin (and distribution) registered ``document_type``."""
        self._collect()
        return self.plugin_info(self._type_plugins[document_type])

    def plugin_info(self, plugin_name: str) -> PluginInfo:
        plugin = self.get_plugin(plugin_name)
        for registered, dist in self.list_plugin_distinfo():
            if registered is plugin:
                return PluginInfo(plugin_name, dist.metadata["name"], dist.version, False)
        return PluginInfo(plugin_name, None, None, plugin_name in DEFAULT_PLUGINS)

    def plugins(self) -> Iterator[PluginInfo]:
        for name, _plugin in self.list_name_plugin():
            yield self.plugin_info(name)


def _load_entry_points(pm: LingyunPluginManager) -> None:
    if os.environ.get("LINGYUN_DISABLE_PLUGIN_AUTOLOAD"):
        return
    only = _env_list("LINGYUN_PLUGINS")
    names: list[str | None] = [None] if only is None else [*sorted(only)]
    for name in names:
        try:
            pm.load_setuptools_entrypoints(ENTRY_POINT_GROUP, name=name)
        except Exception as exc:  # a broken third-party plugin must say who it is
            raise UsageError(
                f"could not load a lingyun plugin from the {ENTRY_POINT_GROUP!r} entry-point "
                f"group: {exc.__class__.__name__}: {exc}"
            ) from exc


_pm: LingyunPluginManager | None = None
_pm_lock = threading.Lock()


def get_plugin_manager() -> LingyunPluginManager:
    """The process-wide plugin manager, built (built-ins, then entry points) on first call."""
    global _pm
    if _pm is not None:
        return _pm
    with _pm_lock:
        if _pm is None:
            pm = LingyunPluginManager()
            for name in _env_list("LINGYUN_BLOCK_PLUGINS") or ():
                pm.set_blocked(name)
            for module_name in DEFAULT_PLUGINS:
                if not pm.is_blocked(module_name):
                    pm.register(importlib.import_module(module_name), name=module_name)
            _load_entry_points(pm)
            _pm = pm
    return _pm
