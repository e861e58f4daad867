"""Domain values to and from the JSON columns; raw rows never leave ``db/``."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from workstation.cases import BiometricSearch, ChecksOutcome
from workstation.documents import DataSource, DocumentData, DocumentKind, Mrz
from workstation.face.verification import FaceOutcome, FaceVerification
from workstation.watchlist import (
    Freshness,
    HitKind,
    WatchlistAction,
    WatchlistHit,
    WatchlistVersion,
)


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def parse_iso(text: str) -> dt.datetime:
    return dt.datetime.fromisoformat(text)


def _date(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def document_to_json(document: DocumentData) -> str:
    """The document without its portrait (stored as a capture row)."""
    return json.dumps(
        {
            "kind": document.kind.value,
            "document_number": document.document_number,
            "surname": document.surname,
            "given_names": document.given_names,
            "nationality": document.nationality,
            "birth_date": document.birth_date.isoformat() if document.birth_date else None,
            "sex": document.sex,
            "expiry_date": document.expiry_date.isoformat() if document.expiry_date else None,
            "issuing_state": document.issuing_state,
            "source": document.source.value,
            "mrz": document.mrz.text if document.mrz else None,
            "chip_verdict": document.chip_verdict,
            "chip_access": document.chip_access,
        },
        ensure_ascii=False,
    )


def document_from_json(text: str, portrait: bytes | None) -> DocumentData:
    data: dict[str, Any] = json.loads(text)
    return DocumentData(
        kind=DocumentKind(data["kind"]),
        document_number=data["document_number"],
        surname=data["surname"],
        given_names=data["given_names"],
        nationality=data["nationality"],
        birth_date=_date(data["birth_date"]),
        sex=data["sex"],
        expiry_date=_date(data["expiry_date"]),
        issuing_state=data["issuing_state"],
        source=DataSource(data["source"]),
        mrz=Mrz.parse(data["mrz"]) if data["mrz"] else None,
        portrait=portrait,
        chip_verdict=data.get("chip_verdict"),
        chip_access=data.get("chip_access"),
    )


def checks_to_json(outcome: ChecksOutcome) -> str:
    return json.dumps(
        {
            "hits": [
                {
                    "kind": h.kind.value,
                    "entry_id": h.entry_id,
                    "action": h.action.value,
                    "severity": h.severity,
                    "score": h.score,
                    "reasons": list(h.reasons),
                    "label": h.label,
                    "reference": h.reference,
                }
                for h in outcome.hits
            ],
            "watchlist_version": outcome.watchlist.version,
            "watchlist_published_at": iso(outcome.watchlist.published_at),
            "freshness": outcome.freshness.value,
            "checked_at": iso(outcome.checked_at),
            "document_expired": outcome.document_expired,
            "face": None
            if outcome.face is None
            else {
                "outcome": outcome.face.outcome.value,
                "score": outcome.face.score,
                "threshold": outcome.face.threshold,
                "strength": outcome.face.strength_code,
            },
            "biometrics": None
            if outcome.biometrics is None
            else {
                "version": outcome.biometrics.version,
                "faces": outcome.biometrics.faces,
                "fingers": outcome.biometrics.fingers,
                "probes": list(outcome.biometrics.probes),
                "loaded": outcome.biometrics.loaded,
            },
        },
        ensure_ascii=False,
    )


def checks_from_json(text: str) -> ChecksOutcome:
    data: dict[str, Any] = json.loads(text)
    return ChecksOutcome(
        hits=tuple(
            WatchlistHit(
                kind=HitKind(h["kind"]),
                entry_id=h["entry_id"],
                action=WatchlistAction(h["action"]),
                severity=h["severity"],
                score=h["score"],
                reasons=tuple(h["reasons"]),
                label=h["label"],
                reference=h.get("reference", 0),
            )
            for h in data["hits"]
        ),
        watchlist=WatchlistVersion(
            data["watchlist_version"], parse_iso(data["watchlist_published_at"])
        ),
        freshness=Freshness(data["freshness"]),
        checked_at=parse_iso(data["checked_at"]),
        document_expired=data["document_expired"],
        face=_face_from(data.get("face")),
        biometrics=_biometrics_from(data.get("biometrics")),
    )


def _biometrics_from(data: dict[str, Any] | None) -> BiometricSearch | None:
    if data is None:
        return None
    return BiometricSearch(data["version"], data["faces"], data["fingers"], tuple(data["probes"]))


def _face_from(data: dict[str, Any] | None) -> FaceVerification | None:
    if data is None:
        return None
    return FaceVerification(
        FaceOutcome(data["outcome"]), data["score"], data["threshold"], data["strength"]
    )
