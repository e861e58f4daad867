"""`sekisho hub`: the receiving side of store and forward (PostgreSQL)."""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def _cmd_hub(args: argparse.Namespace) -> int:
    from db.hub.server import HubServer, register

    if args.register:
        key_id, public_key = args.register
        register(args.db, key_id, public_key, args.name or "")
        print(f"workstation {key_id} registered")
        return 0
    server = HubServer(args.db, args.host, args.port)
    print(f"hub listening on {server.url}")
    try:
        server.serve_forever()
    finally:
        server.server_close()
    return 0


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("hub", help="receive outbox batches into PostgreSQL")
    parser.add_argument("--db", required=True, help="PostgreSQL DSN")
    parser.add_argument("--port", type=int, default=8470)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument(
        "--register",
        nargs=2,
        metavar=("KEY_ID", "PUBLIC_KEY"),
        help="register a workstation key (from `sekisho outbox key`) and exit",
    )
    parser.add_argument("--name", help="workstation name, with --register")
    parser.set_defaults(func=_cmd_hub)


# A throw-away PostgreSQL for benchmarks (Debian's postgresql server binaries)


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says why."""


def _postgres_bin() -> Path | None:
    for candidate in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (candidate / "initdb").exists():
            return candidate
    found = shutil.which("initdb")
    return Path(found).parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def loopback_postgres() -> Iterator[str]:
    """A fresh PostgreSQL cluster on 127.0.0.1 (default settings, fsync on); yields its DSN
    and deletes it afterwards. As root the server runs as the ``postgres`` user, because
    initdb refuses root.

    :raises PostgresUnavailable: no server binaries, or no way to run them.
    """
    bin_dir = _postgres_bin()
    if bin_dir is None:
        raise PostgresUnavailable("PostgreSQL server binaries not installed (package postgresql)")
    as_user: list[str] = []
    tmp = Path(tempfile.mkdtemp(prefix="sekisho-pg-"))
    if os.geteuid() == 0:
        if shutil.which("runuser") is None:
            shutil.rmtree(tmp, ignore_errors=True)
            raise PostgresUnavailable("running as root without runuser")
        as_user = ["runuser", "-u", "postgres", "--"]
        shutil.chown(tmp, "postgres")
    data, port = tmp / "data", free_port()
    try:
        try:
            subprocess.run(  # noqa: S603 - fixed arguments
                [*as_user, str(bin_dir / "initdb"), "-D", str(data), "-U", "hub", "-A", "trust",
                 "-E", "UTF8"],
                check=True, capture_output=True,
            )  # fmt: skip
            subprocess.run(  # noqa: S603 - fixed arguments
                [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-w", "-l",
                 str(tmp / "log"), "-o", f"-p {port} -k {tmp} -c listen_addresses=127.0.0.1",
                 "start"],
                check=True, capture_output=True,
            )  # fmt: skip
        except (OSError, subprocess.CalledProcessError) as e:
            raise PostgresUnavailable(f"PostgreSQL did not start: {type(e).__name__}") from e
        yield f"host=127.0.0.1 port={port} user=hub dbname=postgres"
    finally:
        subprocess.run(  # noqa: S603 - fixed arguments
            [*as_user, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
            capture_output=True,
        )
        shutil.rmtree(tmp, ignore_errors=True)
