"""Command-line document reading: ``sekisho read-card`` and the document benchmarks.

``register(subparsers)`` adds the commands; each command function takes the parsed
namespace and returns the exit status (0 only when the document is genuine).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import json
import logging
import statistics
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

from ui.benchmarks import BenchRow

logger = logging.getLogger(__name__)

EXIT_GENUINE = 0
EXIT_NOT_GENUINE = 1
EXIT_USAGE = 2
EXIT_DEVICE = 3


def register(subparsers: Any) -> None:
    """Add ``read-card`` to an ``argparse`` subparsers object.

    :param subparsers: the result of ``parser.add_subparsers()``.
    """
    card = subparsers.add_parser(
        "read-card",
        help="read and verify a Japanese residence card",
        description="Read a residence card (generation 1 or 2) over PC/SC and judge it.",
    )
    card.add_argument("--card-number", required=True, help="12 characters, e.g. AB12345678CD")
    card.add_argument("--reader", help="reader name or prefix (default: first with a card)")
    card.add_argument("--trust", type=Path, help="folder of ZairyuCard CA certificates")
    card.add_argument("--json", action="store_true", help="print one JSON object")
    card.add_argument("--save-images", type=Path, help="write the card images here as PNG")
    card.set_defaults(func=read_card)


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def _image_info(raw: bytes | None, name: str, save_to: Path | None) -> dict[str, Any] | None:
    if raw is None:
        return None
    info: dict[str, Any] = {"bytes": len(raw.rstrip(b"\x00"))}
    try:
        from PIL import Image

        with Image.open(io.BytesIO(raw)) as image:
            info.update(format=image.format, width=image.width, height=image.height)
            if save_to is not None:
                save_to.mkdir(parents=True, exist_ok=True)
                image.convert("RGB").save(save_to / f"{name}.png")
    except Exception as e:  # noqa: BLE001  (an undecodable image is reported, not fatal)
        info["decode_error"] = type(e).__name__
    return info


def _card_json(report: Any, number: str, save_to: Path | None) -> dict[str, Any]:
    data = report.data
    document: dict[str, Any] | None = None
    if data is not None:
        core = data.to_document(number)
        document = {
            "document_number": core.document_number,
            "surname": core.surname,
            "given_names": core.given_names,
            "nationality": core.nationality,
            "birth_date": _iso(core.birth_date),
            "sex": core.sex,
            "expiry_date": _iso(core.expiry_date),
            "issuing_state": core.issuing_state,
            "kind": core.kind.value,
            "card_type": data.card_type.value,
            "generation": data.card_type.generation,
            "spec_version": data.spec_version,
            "address": data.address,
            "address_date": data.address_date,
            "municipality_code": data.municipality_code,
            "comprehensive_permission": data.comprehensive_permission,
            "individual_permission": data.individual_permission,
            "application_status": data.application_status,
            "status_of_residence": data.status_of_residence,
            "period_of_stay": data.period_of_stay,
            "stay_expiry": _iso(data.stay_expiry),
            "work_restriction": data.work_restriction,
            "images": {
                name: _image_info(getattr(data, name), name, save_to)
                for name in ("front_image", "face_image", "name_image", "address_image")
            },
        }
    return {
        "document": document,
        "access_method": "card_number",
        "checks": [
            {"name": c.name.value, "result": c.status.value, "detail": c.detail}
            for c in report.checks
        ],
        "verdict": report.verdict.value,
    }


def _emit(args: argparse.Namespace, payload: dict[str, Any]) -> None:
    if args.json:
        print(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if "error" in payload:
        print(f"error: {payload['error']['code']}: {payload['error']['detail']}", file=sys.stderr)
        return
    for check in payload["checks"]:
        detail = f" ({check['detail']})" if check["detail"] else ""
        print(f"{check['name']:<28} {check['result']}{detail}")
    print(f"verdict: {payload['verdict']}")


def read_card(args: argparse.Namespace) -> int:
    """``sekisho read-card``: exit 0 genuine, 1 read but not genuine, 2 bad input, 3 device."""
    from devices.residence_card.reader import ResidenceCardReader
    from devices.residence_card.verify import load_trust_store
    from devices.smartcard.pcsc import find_reader
    from workstation.errors import WorkstationError
    from workstation.residence_card import InvalidCardNumber, Verdict, parse_card_number

    try:
        number = parse_card_number(args.card_number)
    except InvalidCardNumber as e:
        _emit(args, {"error": {"code": e.code, "detail": e.detail}, "verdict": None})
        return EXIT_USAGE
    anchors = load_trust_store(args.trust) if args.trust else []
    if args.trust and not anchors:
        logger.warning("no certificates in the trust folder")
    try:
        reader = ResidenceCardReader(find_reader(args.reader), anchors)
        report = reader.inspect(number)
    except WorkstationError as e:
        _emit(args, {"error": {"code": e.code, "detail": e.detail}, "verdict": None})
        return EXIT_DEVICE
    _emit(args, _card_json(report, number, getattr(args, "save_images", None)))
    return EXIT_GENUINE if report.verdict is Verdict.GENUINE else EXIT_NOT_GENUINE


def _timed(fn: Callable[[], Any], rounds: int) -> float:
    samples = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def bench_rows(rounds: int = 5) -> list[BenchRow]:
    """Full residence-card reads (generation 1 and 2) against the emulator.

    "ours" is over pcscd and vpcd (needs both running); "reference" is the same read
    in process without PC/SC, which isolates the host-side cost of the stack.
    """
    from devices.emulators import residence_card as rc
    from devices.emulators import testpki
    from devices.emulators.direct import DirectReader
    from devices.emulators.vpcd import serve_in_thread
    from devices.residence_card.reader import ResidenceCardReader
    from devices.smartcard.pcsc import list_readers
    from workstation.residence_card import CardType, Verdict

    rows = []
    slot = next((r for r in list_readers() if r.name.startswith("Virtual PCD 00 00")), None)
    for card_type, kind in (
        (CardType.RESIDENCE_CARD, "rsa"),
        (CardType.RESIDENCE_CARD_GEN2, "p384"),
    ):
        ca = testpki.make_ca("Bench CA", kind)
        form = "digest_info" if card_type.generation == 1 else "raw"
        card = rc.emulator(
            rc.CardProfile(card_type=card_type, signature_form=form),
            testpki.issue(ca, "card", kind),
        )
        direct = ResidenceCardReader(DirectReader(card), [ca.certificate])
        reference = _timed(partial(direct.inspect, "AA12345678BB"), rounds)
        label = f"residence card gen {card_type.generation}, full read + verify"
        if slot is None or slot.has_card():
            rows.append(
                BenchRow(
                    label,
                    "skipped: no free vpcd slot (pcscd not running?)",
                    f"{reference:.1f} ms in process",
                )
            )
            continue
        thread, stop = serve_in_thread(card)
        try:
            deadline = time.monotonic() + 10
            while not slot.has_card() and time.monotonic() < deadline:
                time.sleep(0.02)
            reader = ResidenceCardReader(slot, [ca.certificate])
            if reader.inspect("AA12345678BB").verdict is not Verdict.GENUINE:
                raise RuntimeError("benchmark card did not verify")
            ours = _timed(partial(reader.inspect, "AA12345678BB"), rounds)
            rows.append(
                BenchRow(
                    label,
                    f"{reader.last_apdu_count} APDUs, {ours:.1f} ms over pcscd",
                    f"{reference:.1f} ms in process",
                    "<= 1000 ms",
                )
            )
        finally:
            stop.set()
            thread.join(5)
            while slot.has_card() and time.monotonic() < deadline + 5:
                time.sleep(0.02)
    return rows


if __name__ == "__main__":  # pragma: no cover
    parser = argparse.ArgumentParser(prog="sekisho")
    register(parser.add_subparsers(required=True))
    namespace = parser.parse_args()
    raise SystemExit(namespace.func(namespace))
