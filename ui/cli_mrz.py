"""``sekisho mrz-ocr IMAGE``: read the machine-readable zone of a document image.

Exit codes: 0 when an MRZ was read and every check digit passed, 1 otherwise.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path
from typing import Any

from devices.documents.mrz_ocr import read_mrz
from workstation.errors import WorkstationError

EXIT_READ, EXIT_NOT_READ = 0, 1


def register(subparsers: Any) -> None:
    """Add ``mrz-ocr`` to an ``argparse`` subparsers object."""
    parser = subparsers.add_parser(
        "mrz-ocr",
        help="read the MRZ of a document image (needs tesseract-ocr)",
        description="Find and read the machine-readable zone of a scanned data page.",
    )
    parser.add_argument("image", type=Path, help="PNG, JPEG or TIFF of the data page")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.set_defaults(func=mrz_ocr)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def mrz_ocr(args: argparse.Namespace) -> int:
    try:
        raw = args.image.read_bytes()
    except OSError as e:
        print(f"cannot read {args.image}: {e.strerror}")
        return EXIT_NOT_READ
    try:
        mrz = read_mrz(raw)
    except WorkstationError as e:
        if args.json:
            print(json.dumps({"error": {"code": e.code, "detail": e.detail}}))
        else:
            print(f"{e.code}: {e.detail}")
        return EXIT_NOT_READ
    fields = {
        "document_number": mrz.document_number,
        "surname": mrz.surname,
        "given_names": mrz.given_names,
        "nationality": mrz.nationality,
        "birth_date": _iso(mrz.birth_date),
        "sex": mrz.sex,
        "expiry_date": _iso(mrz.expiry_date),
        "issuing_state": mrz.issuing_state,
    }
    if args.json:
        print(json.dumps(fields, ensure_ascii=False))
    else:
        for key, value in fields.items():
            print(f"{key}: {value if value is not None else ''}")
    return EXIT_READ
