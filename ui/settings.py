"""Local preferences (QSettings). Every key is declared once with its type and default.

Operational policy is never here: it comes from the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

T = TypeVar("T")

SETTINGS_VERSION = 1


@dataclass(frozen=True)
class Key(Generic[T]):
    name: str
    type: type[T]
    default: T


LANGUAGE = Key("ui/language", str, "")
GEOMETRY = Key("ui/geometry", QByteArray, QByteArray())
LAST_OPERATOR = Key("login/last_operator", str, "")


class Settings:
    """Typed access to the declared keys."""

    def __init__(self, store: QSettings | None = None) -> None:
        self._store = store or QSettings("Sekisho", "Sekisho")
        self._upgrade()

    def get(self, key: Key[T]) -> T:
        value = self._store.value(key.name, key.default)
        if key.type is not QByteArray and not isinstance(value, key.type):
            return key.default
        return value  # type: ignore[return-value]

    def set(self, key: Key[T], value: T) -> None:
        self._store.setValue(key.name, value)

    def _upgrade(self) -> None:
        version = int(str(self._store.value("settings/version", 0) or 0))
        # Versioned upgrade functions go here when a key changes meaning or name.
        if version < SETTINGS_VERSION:
            self._store.setValue("settings/version", SETTINGS_VERSION)
