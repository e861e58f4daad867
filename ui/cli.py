"""The ``sekisho`` command: the GUI, self-test, audit, benchmarks and device commands."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ui.context import Options, data_home
from workstation import __version__
from workstation.errors import WorkstationError

if TYPE_CHECKING:
    from sqlite_utils import Database

logger = logging.getLogger(__name__)

Command = Callable[[argparse.Namespace], int]


def _options(args: argparse.Namespace) -> Options:
    return Options(
        home=Path(args.home) if args.home else data_home(),
        demo=getattr(args, "demo", False),
        simulate_devices=getattr(args, "simulate_devices", False),
        language=getattr(args, "lang", None),
    )


def _cmd_run(args: argparse.Namespace) -> int:
    from ui.app import main as gui_main

    return gui_main(_options(args), startup_probe=args.startup_probe)


def _cmd_selftest(args: argparse.Namespace) -> int:
    from ui.selftest import run_selftest

    report = run_selftest(_options(args))
    for check in report:
        mark = "ok  " if check.ok else "FAIL"
        print(f"[{mark}] {check.name:<22} {check.detail}")
    failed = [c for c in report if not c.ok]
    print(f"{len(report) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed else 0


def _cmd_audit_verify(args: argparse.Namespace) -> int:
    from db import audit_trail
    from ui.cli_db import open_for_command

    db = open_for_command(_options(args))
    try:
        report = audit_trail.verify(db)
        signatures = audit_trail.verify_signatures(db)
    finally:
        db.close()
    if not report.ok:
        print(
            f"audit chain BROKEN at entry {report.first_broken_seq}: {report.problem} "
            f"({report.checked} entries verified before it)"
        )
        return 2
    print(f"audit chain intact: {report.checked} entries verified")
    if not signatures.ok:
        print(f"audit signature INVALID at entry {signatures.first_bad_seq}")
        return 2
    unsigned = f", {signatures.unsigned} written before signing" if signatures.unsigned else ""
    print(f"signatures valid: {signatures.checked} entries{unsigned}")
    return 0


def _cmd_audit_export(args: argparse.Namespace) -> int:
    import json

    from db import audit_trail
    from ui.cli_db import open_for_command

    db = open_for_command(_options(args))
    try:
        count = 0
        with open(args.file, "w", encoding="utf-8") as out:
            for item in audit_trail.export(db):
                out.write(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n")
                count += item["type"] == "entry"
    finally:
        db.close()
    print(f"{count} audit entries exported to {args.file}, grouped by case")
    return 0


def _new_password(args: argparse.Namespace) -> str | None:
    """The new operator password (stdin or typed twice); ``None`` after telling why not."""
    import getpass

    if args.password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = getpass.getpass("New operator's password: ")
        if getpass.getpass("Repeat: ") != password:
            print("sekisho: the passwords differ", file=sys.stderr)
            return None
    if len(password) < 10:
        print("sekisho: a password needs at least 10 characters", file=sys.stderr)
        return None
    return password


def _unlock_as_administrator(options: Options) -> tuple[Database, bytes, str] | None:
    """The encrypted database unlocked by an administrator (``SEKISHO_OPERATOR`` /
    ``SEKISHO_PASSWORD`` or a prompt), with its key; ``None`` after telling why not."""
    from db.vault import HomeState, administrator, home_state
    from ui.cli_db import unlock_for_command
    from workstation.ports import SystemClock

    if home_state(options.database_path) in (HomeState.PLAIN, HomeState.INTERRUPTED):
        print(
            "sekisho: the database is not encrypted: encrypt it first with `sekisho db encrypt`",
            file=sys.stderr,
        )
        return None
    unlocked = unlock_for_command(options)
    if unlocked.key is None or unlocked.operator_id is None:  # pragma: no cover - checked above
        unlocked.db.close()
        return None
    try:
        administrator(unlocked.db, SystemClock(), unlocked.operator_id)
    except WorkstationError:
        unlocked.db.close()
        raise
    return unlocked.db, unlocked.key, unlocked.operator_id


def _cmd_operator_add(args: argparse.Namespace) -> int:
    """Add an operator; the database key is wrapped for the new password. On a new home
    the first operator, an administrator, creates the encrypted database and keyring."""
    from db.database import open_database
    from db.keyring import Keyring, keyring_path
    from db.store import SqliteOperators
    from db.vault import HomeState, create_home, home_state
    from workstation.operators import Operator, Role, hash_password
    from workstation.ports import SystemClock

    options = _options(args)
    roles = frozenset(Role(r) for r in args.role)
    operator = Operator(args.operator_id, args.name, roles)
    clock = SystemClock()
    if home_state(options.database_path) is HomeState.NEW:
        if Role.ADMINISTRATOR not in roles:
            print(
                "sekisho: the first operator of a workstation must be an administrator "
                "(--role administrator)",
                file=sys.stderr,
            )
            return 2
        password = _new_password(args)
        if password is None:
            return 2
        key = create_home(options.database_path, [(args.operator_id, password)])
        db = open_database(options.database_path, key=key)
        try:
            SqliteOperators(db, clock).add(operator, hash_password(password))
        finally:
            db.close()
        print(f"encrypted database created in {options.home}")
        print(f"operator {args.operator_id} added ({', '.join(sorted(args.role))})")
        return 0
    password = _new_password(args)
    if password is None:
        return 2
    unlocked = _unlock_as_administrator(options)
    if unlocked is None:
        return 2
    db, key, _admin = unlocked
    try:
        operators = SqliteOperators(db, clock)
        if operators.find(args.operator_id) is not None:
            print(f"sekisho: operator {args.operator_id} exists", file=sys.stderr)
            return 2
        # Wrapped first: if the process stops in between, running the command again
        # replaces the wrap and adds the account.
        Keyring(keyring_path(options.database_path)).wrap(args.operator_id, password, key)
        operators.add(operator, hash_password(password))
    finally:
        db.close()
    print(f"operator {args.operator_id} added ({', '.join(sorted(args.role))})")
    return 0


def _cmd_operator_password(args: argparse.Namespace) -> int:
    """An administrator sets another operator's password (and so gives them the key)."""
    from db.keyring import Keyring, keyring_path
    from db.store import SqliteOperators
    from db.vault import grant
    from workstation.operators import hash_password
    from workstation.ports import SystemClock

    options = _options(args)
    password = _new_password(args)
    if password is None:
        return 2
    unlocked = _unlock_as_administrator(options)
    if unlocked is None:
        return 2
    db, key, admin = unlocked
    clock = SystemClock()
    try:
        if SqliteOperators(db, clock).find(args.operator_id) is None:
            print(f"sekisho: no operator {args.operator_id}", file=sys.stderr)
            return 2
        keyring = Keyring(keyring_path(options.database_path))
        grant(db, keyring, key, clock, admin, args.operator_id, hash_password(password), password)
    finally:
        db.close()
    print(f"password of {args.operator_id} set; the database key is wrapped for it")
    return 0


def _cmd_bench(args: argparse.Namespace) -> int:
    from ui.bench import print_table, run_benchmarks

    print_table(run_benchmarks(quick=args.quick, only=args.only))
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="sekisho", description="Sekisho offline immigration inspection workstation"
    )
    parser.add_argument("--version", action="version", version=f"sekisho {__version__}")
    parser.add_argument("--home", help="data folder (default: $SEKISHO_HOME or user data dir)")
    parser.add_argument("-v", "--verbose", action="store_true", help="log at INFO level")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = sub.add_parser("run", help="start the workstation (default)")
    _add_run_options(run)
    run.set_defaults(func=_cmd_run)

    selftest = sub.add_parser("selftest", help="check database, devices and installation")
    selftest.add_argument("--simulate-devices", action="store_true")
    selftest.add_argument("--demo", action="store_true", help="seed the demo data first")
    selftest.set_defaults(func=_cmd_selftest)

    audit = sub.add_parser("audit", help="audit log tools")
    audit_sub = audit.add_subparsers(dest="audit_command", metavar="ACTION", required=True)
    verify = audit_sub.add_parser("verify", help="walk the hash chain; exit 2 if broken")
    verify.set_defaults(func=_cmd_audit_verify)
    export = audit_sub.add_parser("export", help="write the log, signatures and key as JSON lines")
    export.add_argument("file")
    export.set_defaults(func=_cmd_audit_export)

    operator = sub.add_parser("operator", help="operator accounts")
    operator_sub = operator.add_subparsers(dest="operator_command", metavar="ACTION", required=True)
    add = operator_sub.add_parser(
        "add",
        help="create an operator account (an administrator unlocks with SEKISHO_OPERATOR/"
        "SEKISHO_PASSWORD or a prompt; the first one creates the encrypted database)",
    )
    add.add_argument("operator_id")
    add.add_argument("--name", required=True, help="display name")
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=("inspector", "supervisor", "enrolment_officer", "administrator"),
    )
    add.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    add.set_defaults(func=_cmd_operator_add)
    password = operator_sub.add_parser(
        "password", help="set an operator's password (an administrator unlocks)"
    )
    password.add_argument("operator_id")
    password.add_argument(
        "--password-stdin", action="store_true", help="read the new password from stdin"
    )
    password.set_defaults(func=_cmd_operator_password)

    bench = sub.add_parser("bench", help="measure speed beside reference figures")
    bench.add_argument("--quick", action="store_true", help="fewer repetitions")
    bench.add_argument("--only", help="run only the benchmark group with this name")
    bench.set_defaults(func=_cmd_bench)

    for module in _EXTENSIONS:
        try:
            extension = __import__(module, fromlist=["register"])
        except ImportError as e:  # an optional device stack is not installed
            logger.debug("command module %s unavailable: %s", module, e)
            continue
        extension.register(sub)
    return parser


_EXTENSIONS = (
    "ui.cli_db",
    "ui.cli_face",
    "ui.cli_finger",
    "ui.cli_documents",
    "ui.cli_watchlist",
    "ui.cli_outbox",
    "ui.cli_hub",
    "ui.cli_mrz",
)


def _add_run_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--demo", action="store_true", help="demo operators and watchlist")
    parser.add_argument(
        "--simulate-devices", action="store_true", help="training mode: simulated devices"
    )
    parser.add_argument("--lang", choices=("ja", "en"), help="interface language")
    parser.add_argument("--startup-probe", action="store_true", help=argparse.SUPPRESS)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO if args.verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    if args.command is None:
        args = parser.parse_args([*(argv or sys.argv[1:]), "run"])
    func: Command = args.func
    try:
        return func(args)
    except WorkstationError as e:
        print(f"sekisho: error {e.code}: {e.detail}", file=sys.stderr)
        return 3
    except KeyboardInterrupt:
        return 130
