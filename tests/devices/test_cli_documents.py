"""``sekisho read-card`` paths that need no reader (the rest run in test_pcsc.py)."""

from __future__ import annotations

import argparse
import json

from ui.cli_documents import EXIT_USAGE, register


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    return parser


def test_invalid_number_is_refused_before_any_reader(capsys) -> None:
    args = _parser().parse_args(["read-card", "--card-number", "A1B2", "--json"])
    assert args.func(args) == EXIT_USAGE
    out = json.loads(capsys.readouterr().out)
    assert out["error"]["code"] == "DOC-CARD-NUMBER-INVALID"
    assert out["verdict"] is None


def test_options_are_parsed() -> None:
    args = _parser().parse_args(
        ["read-card", "--card-number", "AB12345678CD", "--reader", "X", "--trust", "/t"]
    )
    assert (args.card_number, args.reader, str(args.trust), args.json) == (
        "AB12345678CD",
        "X",
        "/t",
        False,
    )
