"""Locating the data folder and the options every entry point shares (no Qt here)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

DATABASE_NAME = "sekisho.db"


def data_home() -> Path:
    """``SEKISHO_HOME`` if set, else the platform's user data folder."""
    override = os.environ.get("SEKISHO_HOME")
    if override:
        return Path(override).expanduser()
    return Path(platformdirs.user_data_dir("Sekisho", "Sekisho"))


@dataclass(frozen=True)
class Options:
    """What the operator asked for on the command line.

    :param demo: seed demo operators, policy and watchlist.
    :param simulate_devices: use the simulated devices (training mode).
    """

    home: Path
    demo: bool = False
    simulate_devices: bool = False
    language: str | None = None
    camera: str | None = None
    reader: str | None = None

    @property
    def database_path(self) -> Path:
        return self.home / DATABASE_NAME
