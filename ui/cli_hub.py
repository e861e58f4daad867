"""`sekisho hub`: the receiving side of store and forward (PostgreSQL)."""

from __future__ import annotations

import argparse


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
