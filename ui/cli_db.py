"""Opening the workstation database from a command: plain, or encrypted and unlocked with
an operator's password (``SEKISHO_OPERATOR``/``SEKISHO_PASSWORD`` or a prompt)."""

from __future__ import annotations

import getpass
import os
import sys

from sqlite_utils import Database

from db.database import open_database
from db.keyring import Keyring, keyring_path
from ui.context import Options
from workstation.ports import SystemClock


def open_for_command(options: Options) -> Database:
    """The database of ``options.home``; unlocks it first when a keyring is beside it.

    :raises workstation.errors.AuthenticationFailed: wrong operator or password.
    :raises workstation.errors.StorageError: the database cannot be opened.
    """
    keyring = Keyring(keyring_path(options.database_path))
    if not keyring.exists():
        return open_database(options.database_path)
    operator = os.environ.get("SEKISHO_OPERATOR") or input("operator: ")
    password = os.environ.get("SEKISHO_PASSWORD")
    if password is None:
        password = getpass.getpass("password: ", stream=sys.stderr)
    key = keyring.unlock(operator, password, SystemClock().now())
    return open_database(options.database_path, key=key)
