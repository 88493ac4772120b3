"""Who may call the local service: app key -> developer key.

The service verifies ``x-session-key = md5(x-request-date + devkey)`` (SPEC §2), so it must
know each account's developer key.  Accounts come from a JSON or TOML file, the
``LINGYUN_SERVICE_ACCOUNTS`` environment variable (``app:dev,app2:dev2``) and ``--account``
options; a later source overrides an earlier one for the same app key.  The built-in
development account (public constants -- the embedded client uses them) is accepted only when
none of those configures an account: its developer key is public, so a service with real
accounts must not open to it.

The developer key is a secret even locally: :class:`Accounts` never shows one in its
``repr`` and the server prints app keys only.
"""

from __future__ import annotations

import json
import os
import re
import tomllib
from collections.abc import Iterable, Mapping
from pathlib import Path

from ..errors import ConfigurationError

__all__ = [
    "ACCOUNTS_ENV",
    "DEFAULT_APP_KEY",
    "DEFAULT_DEV_KEY",
    "Accounts",
    "parse_account",
]

#: The built-in development account.  Public on purpose: it only opens the local service.
DEFAULT_APP_KEY = "lingyun-local"
DEFAULT_DEV_KEY = "lingyun-local-devkey"
#: ``app:dev[,app:dev...]`` -- extra accounts from the environment.
ACCOUNTS_ENV = "LINGYUN_SERVICE_ACCOUNTS"

#: What an app key may contain (the vendor issues short hex keys; we allow a little more).
APP_KEY_PATTERN = re.compile(r"[A-Za-z0-9._\-]{1,128}")


def _check_pair(app_key: object, dev_key: object, where: str) -> tuple[str, str]:
    if not isinstance(app_key, str) or not APP_KEY_PATTERN.fullmatch(app_key):
        raise ConfigurationError(
            f"{where}: app key {app_key!r} must be 1-128 of A-Z a-z 0-9 . _ -"
        )
    if not isinstance(dev_key, str) or not dev_key:
        raise ConfigurationError(
            f"{where}: developer key for {app_key!r} must be a non-empty string"
        )
    return app_key, dev_key


def parse_account(text: str, where: str = "--account") -> tuple[str, str]:
    """``APP_KEY:DEV_KEY`` -> the pair; :class:`ConfigurationError` naming ``where`` otherwise."""
    app_key, sep, dev_key = text.partition(":")
    if not sep:
        raise ConfigurationError(f"{where}: expected APP_KEY:DEV_KEY, got no ':' in the value")
    return _check_pair(app_key.strip(), dev_key.strip(), where)


class Accounts:
    """The accounts the service accepts.  ``dev_key(app_key)`` is ``None`` for a stranger."""

    def __init__(self, pairs: Mapping[str, str] | Iterable[tuple[str, str]] = (), *,
                 include_default: bool = True) -> None:
        self._keys: dict[str, str] = {}
        if include_default:
            self._keys[DEFAULT_APP_KEY] = DEFAULT_DEV_KEY
        items = pairs.items() if isinstance(pairs, Mapping) else pairs
        for app_key, dev_key in items:
            self.add(app_key, dev_key)

    def add(self, app_key: str, dev_key: str, where: str = "account") -> None:
        app_key, dev_key = _check_pair(app_key, dev_key, where)
        self._keys[app_key] = dev_key

    def dev_key(self, app_key: str) -> str | None:
        return self._keys.get(app_key)

    def app_keys(self) -> list[str]:
        return list(self._keys)

    def __contains__(self, app_key: object) -> bool:
        return app_key in self._keys

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return f"Accounts(app_keys={self.app_keys()!r})"

    # -- sources ---------------------------------------------------------------------
    def load_file(self, path: str | os.PathLike[str]) -> None:
        """Add the accounts of a JSON or TOML file (by suffix; ``.toml`` is TOML).

        Either a flat table ``{"APP_KEY": "DEV_KEY", ...}`` or ``{"accounts": {...}}``.
        """
        file = Path(path)
        try:
            raw = file.read_bytes()
        except OSError as exc:
            raise ConfigurationError(f"cannot read accounts file {file}: {exc.strerror}") from None
        try:
            if file.suffix.lower() == ".toml":
                data = tomllib.loads(raw.decode("utf-8"))
            else:
                data = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            raise ConfigurationError(f"accounts file {file} is not valid: {exc}") from None
        if isinstance(data, dict) and isinstance(data.get("accounts"), dict):
            data = data["accounts"]
        if not isinstance(data, dict):
            raise ConfigurationError(
                f"accounts file {file} must hold a table of app key -> developer key"
            )
        for app_key, dev_key in data.items():
            self.add(app_key, dev_key, where=f"accounts file {file}")

    def load_env(self, environ: Mapping[str, str] | None = None) -> None:
        """Add the accounts of ``LINGYUN_SERVICE_ACCOUNTS`` (``app:dev,app2:dev2``)."""
        value = (os.environ if environ is None else environ).get(ACCOUNTS_ENV, "")
        for part in value.split(","):
            if part.strip():
                self.add(*parse_account(part, where=ACCOUNTS_ENV), where=ACCOUNTS_ENV)

    @classmethod
    def configured(cls, *, file: str | None = None, accounts: Iterable[str] = (),
                   environ: Mapping[str, str] | None = None) -> Accounts:
        """``file``, the environment and ``APP:DEV`` strings; the built-in development
        account only when these configure none."""
        result = cls(include_default=False)
        if file:
            result.load_file(file)
        result.load_env(environ)
        for text in accounts:
            result.add(*parse_account(text))
        if not len(result):
            result.add(DEFAULT_APP_KEY, DEFAULT_DEV_KEY)
        return result
