"""Opening the workstation database from a command, and `sekisho db encrypt`.

An encrypted database is unlocked with an operator's password: ``SEKISHO_OPERATOR`` and
``SEKISHO_PASSWORD``, or a prompt (in demo mode the demo administrator by default). Failed
unlocks queued in the keyring are written to the audit log once it is open. A database from
a release that did not encrypt still opens for commands; ``sekisho db encrypt`` encrypts it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from db.database import open_database
from db.keyring import KEYRING_NAME, Keyring, keyring_path
from db.vault import HomeState, encrypt_home, home_state, log_in_administrator, open_unlocked
from ui.context import Options, data_home
from workstation.errors import KeyringError, StorageError
from workstation.ports import SystemClock

DEMO_ADMINISTRATOR = ("admin", "sekisho-demo")
"""The demo home's administrator (db/demo.py); its password is public by design."""

FIRST_OPERATOR_HINT = "sekisho operator add ID --name NAME --role administrator"


@dataclass
class Unlocked:
    """A database opened for a command; ``key`` and ``operator_id`` are ``None`` for an
    unencrypted one."""

    db: Database
    key: bytes | None
    operator_id: str | None


def refuse_unusable(options: Options, state: HomeState) -> None:
    """Explain, as an error, why a home in ``state`` cannot be opened.

    :raises StorageError: the home has no database yet, an interrupted encryption, or an
        encrypted database without its keyring.
    """
    if state is HomeState.NEW:
        raise StorageError(
            f"no database in {options.home} yet: create the first administrator with "
            f"`{FIRST_OPERATOR_HINT}`"
        )
    if state is HomeState.INTERRUPTED:
        raise StorageError(
            "an encryption of this database was interrupted: run it again with `sekisho db encrypt`"
        )
    if state is HomeState.KEYRING_MISSING:
        raise KeyringError(
            f"the database is encrypted but {KEYRING_NAME} is missing beside it: "
            "restore it from the backup"
        )


def credentials(options: Options) -> tuple[str, str]:
    """The operator and password that unlock the database for a command."""
    demo_operator, demo_password = DEMO_ADMINISTRATOR if options.demo else (None, None)
    operator = os.environ.get("SEKISHO_OPERATOR") or demo_operator or input("operator: ")
    password = os.environ.get("SEKISHO_PASSWORD")
    if password is None:
        if demo_password is not None and operator == demo_operator:
            password = demo_password
        else:
            password = getpass.getpass("password: ", stream=sys.stderr)
    return operator, password


def unlock_for_command(options: Options) -> Unlocked:
    """The database of ``options.home``; unlocked first when it is encrypted.

    :raises workstation.errors.AuthenticationFailed: wrong operator or password.
    :raises workstation.errors.AccountLocked: too many failures.
    :raises workstation.errors.StorageError: no database, or it cannot be opened.
    """
    path = options.database_path
    state = home_state(path)
    if state is HomeState.PLAIN:
        return Unlocked(open_database(path), None, None)
    refuse_unusable(options, state)
    operator, password = credentials(options)
    clock = SystemClock()
    keyring = Keyring(keyring_path(path))
    key = keyring.unlock(operator, password, clock.now())
    return Unlocked(open_unlocked(path, keyring, key, clock), key, operator)


def open_for_command(options: Options) -> Database:
    """The database of ``options.home``, unlocked first when it is encrypted
    (see :func:`unlock_for_command`)."""
    return unlock_for_command(options).db


def _cmd_encrypt(args: argparse.Namespace) -> int:
    options = Options(home=Path(args.home) if args.home else data_home())
    path = options.database_path
    state = home_state(path)
    if state is HomeState.ENCRYPTED:
        print("the database is encrypted already")
        return 0
    if state not in (HomeState.PLAIN, HomeState.INTERRUPTED):
        refuse_unusable(options, state)
    operator, password = credentials(options)
    clock = SystemClock()
    log_in_administrator(path, operator, password, clock)
    counts = encrypt_home(path, [(operator, password)], clock, by=operator)
    print(
        f"database encrypted ({sum(counts.values())} rows in {len(counts)} tables); "
        f"the key is wrapped for {operator}"
    )
    print(
        "other operators log in again after an administrator sets their password: "
        "sekisho operator password ID"
    )
    return 0


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser("db", help="the workstation database")
    sub = parser.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    encrypt = sub.add_parser(
        "encrypt",
        help="encrypt a database from a release that did not (an administrator, "
        "SEKISHO_OPERATOR/SEKISHO_PASSWORD or a prompt); close the workstation first",
    )
    encrypt.set_defaults(func=_cmd_encrypt)
