"""The one place that turns error codes and domain codes into operator text."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from workstation.errors import AccountLocked, AuthenticationFailed, WorkstationError


def error_text(error: BaseException) -> str:
    """Plain words for an error; unknown errors get a generic text and their code."""
    if isinstance(error, AuthenticationFailed):
        if error.remaining_attempts is not None:
            return QCoreApplication.translate(
                "Messages",
                "Wrong operator ID or password. {n} attempts left before the account locks.",
            ).format(n=error.remaining_attempts)
        return QCoreApplication.translate("Messages", "Wrong operator ID or password.")
    if isinstance(error, AccountLocked):
        return QCoreApplication.translate(
            "Messages",
            "This account is locked after too many failed attempts. Try again after {time}.",
        ).format(time=error.until[11:16] + " UTC" if error.until else "?")
    texts = {
        "DOC-ABSENT": QCoreApplication.translate(
            "Messages", "No document on the reader. Place the passport or card on the reader."
        ),
        "DOC-UNREADABLE": QCoreApplication.translate(
            "Messages", "The document could not be read. Remove it and place it again."
        ),
        "DOC-MRZ-INVALID": QCoreApplication.translate(
            "Messages", "The machine-readable zone is not valid: a check digit does not match."
        ),
        "DOC-CHIP-AUTH": QCoreApplication.translate(
            "Messages", "The chip refused access. Check the document number, dates or card number."
        ),
        "DEV-UNAVAILABLE": QCoreApplication.translate(
            "Messages", "The device is not connected or stopped responding. Check the cable."
        ),
        "DEV-BUSY": QCoreApplication.translate(
            "Messages", "The device is in use by another program."
        ),
        "DEV-CAPTURE-FAILED": QCoreApplication.translate(
            "Messages", "The capture did not produce a usable image. Try again."
        ),
        "DEV-CAPTURE-CANCELLED": QCoreApplication.translate(
            "Messages", "The capture was cancelled."
        ),
        "DOC-CARD-ABSENT": QCoreApplication.translate(
            "Messages", "No card on the reader. Place the residence card on the reader."
        ),
        "DOC-CARD-REMOVED": QCoreApplication.translate(
            "Messages", "The card was removed during reading. Place it again and keep it still."
        ),
        "DOC-CARD-IO": QCoreApplication.translate(
            "Messages", "Communication with the card failed. Place the card again."
        ),
        "DOC-CARD-SW": QCoreApplication.translate(
            "Messages", "The card answered with an error. Place the card again."
        ),
        "DOC-CARD-SM": QCoreApplication.translate(
            "Messages", "The card's secure channel failed: the card may not be genuine."
        ),
        "DOC-TLV": QCoreApplication.translate(
            "Messages", "The card's data is malformed: the card may not be genuine."
        ),
        "DOC-CARD-DATA": QCoreApplication.translate(
            "Messages", "The card's data is not in a known format."
        ),
        "DOC-CARD-NUMBER-INVALID": QCoreApplication.translate(
            "Messages",
            "The card number is not valid: 2 letters, 8 digits, 2 letters (e.g. AB12345678CD).",
        ),
        "DOC-CARD-NUMBER-REJECTED": QCoreApplication.translate(
            "Messages", "The card refused this card number. Check the number printed on the card."
        ),
        "DOC-CARD-AUTH-RESPONSE": QCoreApplication.translate(
            "Messages", "The card's authentication answer is wrong: the card may not be genuine."
        ),
        "DEV-PCSC-SERVICE": QCoreApplication.translate(
            "Messages", "The smart-card service (PC/SC) is not running."
        ),
        "DEV-READER-ABSENT": QCoreApplication.translate("Messages", "No card reader is connected."),
        "DEV-READER-BUSY": QCoreApplication.translate(
            "Messages", "The card reader is in use by another program."
        ),
        "DOC-EMRTD-ACCESS-DENIED": QCoreApplication.translate(
            "Messages", "The chip refused the MRZ or CAN. Check the document number, dates or CAN."
        ),
        "DOC-EMRTD-CHIP-RESPONSE": QCoreApplication.translate(
            "Messages", "The chip's authentication answer is wrong: the chip may not be genuine."
        ),
        "DOC-EMRTD-BAC-NOT-ALLOWED": QCoreApplication.translate(
            "Messages",
            "This chip offers only BAC, which the policy does not allow. Inspect the document manually.",
        ),
        "DOC-EMRTD-CAN-NEEDS-PACE": QCoreApplication.translate(
            "Messages", "A CAN works only with chips that offer PACE. Use the MRZ instead."
        ),
        "DOC-EMRTD-PACE": QCoreApplication.translate(
            "Messages", "The chip's PACE access failed. Place the passport again."
        ),
        "DOC-EMRTD-LDS": QCoreApplication.translate(
            "Messages", "The chip's data is malformed: the chip may not be genuine."
        ),
        "DOC-EMRTD-KEY": QCoreApplication.translate(
            "Messages", "A key on the chip is malformed: the chip may not be genuine."
        ),
        "DOC-EMRTD-EC": QCoreApplication.translate(
            "Messages", "The chip uses elliptic-curve parameters we cannot verify."
        ),
        "WL-SOURCE-INVALID": QCoreApplication.translate(
            "Messages", "The watchlist source is not valid; nothing was applied."
        ),
        "WL-UNTRUSTED": QCoreApplication.translate(
            "Messages",
            "The watchlist update failed verification (signature, version or metadata); nothing was applied.",
        ),
        "WL-EXPIRED": QCoreApplication.translate(
            "Messages",
            "The watchlist update has expired metadata (possible freeze attack); nothing was applied.",
        ),
        "WL-UNAVAILABLE": QCoreApplication.translate(
            "Messages",
            "The watchlist source cannot be reached; the current watchlist stays in use.",
        ),
        "WL-NO-ROOT": QCoreApplication.translate(
            "Messages", "The first watchlist synchronisation needs the trusted root file."
        ),
        "WL-APPLY-FAILED": QCoreApplication.translate(
            "Messages", "Applying the watchlist failed; the previous version stays in use."
        ),
        "DB-KEYRING": QCoreApplication.translate(
            "Messages", "The database key could not be unlocked."
        ),
        "DB-AUDIT-SIGNATURE": QCoreApplication.translate(
            "Messages", "An audit log signature is invalid. Call an administrator."
        ),
        "SYNC-HUB-UNAVAILABLE": QCoreApplication.translate(
            "Messages", "The hub cannot be reached; records stay queued and are sent later."
        ),
        "SYNC-HUB-REJECTED": QCoreApplication.translate(
            "Messages", "The hub rejected the records; they stay queued. Call an administrator."
        ),
        "DEV-SBI-UNREGISTERED": QCoreApplication.translate(
            "Messages", "The fingerprint scanner is not registered. Use a registered device."
        ),
        "DEV-SBI-TRUST": QCoreApplication.translate(
            "Messages", "The fingerprint scanner's signature is not trusted. Call an administrator."
        ),
        "DEV-SBI-PROTOCOL": QCoreApplication.translate(
            "Messages", "The fingerprint scanner answered wrongly. Restart the scanner service."
        ),
        "DEV-SBI-CLOCK": QCoreApplication.translate(
            "Messages", "The fingerprint scanner's clock is wrong: the capture was refused."
        ),
        "DEV-SBI-INCOMPLETE": QCoreApplication.translate(
            "Messages", "The scanner returned fewer fingers than asked. Capture again."
        ),
        "DEV-SBI-TAMPER": QCoreApplication.translate(
            "Messages",
            "The fingerprint scanner reports tampering. Do not use it; call an administrator.",
        ),
        "DEV-SBI-STREAM-STALLED": QCoreApplication.translate(
            "Messages", "The scanner's live image stopped. Check the scanner."
        ),
        "DEV-SBI-ERROR": QCoreApplication.translate(
            "Messages", "The fingerprint scanner reported an error. Try again."
        ),
        "DOC-MRZ-NOT-FOUND": QCoreApplication.translate(
            "Messages",
            "No machine-readable zone found in the image. Scan the data page upright, or type the MRZ.",
        ),
        "AUTH-ROLE": QCoreApplication.translate(
            "Messages", "Your role does not allow this action."
        ),
        "CASE-NOT-FOUND": QCoreApplication.translate("Messages", "The case was not found."),
        "CASE-STATE": QCoreApplication.translate(
            "Messages", "This step is not possible at this point of the examination."
        ),
        "DEC-INVALID": QCoreApplication.translate(
            "Messages", "The decision is incomplete: check status, period of stay or reason."
        ),
        "DEC-POLICY": QCoreApplication.translate(
            "Messages",
            "Policy does not allow this decision: refer the case to secondary inspection.",
        ),
        "WL-STALE": QCoreApplication.translate(
            "Messages", "The watchlist is too old to decide on. Synchronise the watchlist first."
        ),
        "DB-ERROR": QCoreApplication.translate(
            "Messages", "The database could not be written. Nothing was recorded; try again."
        ),
        "DB-AUDIT-BROKEN": QCoreApplication.translate(
            "Messages", "The audit log failed verification. Call an administrator."
        ),
    }
    if isinstance(error, WorkstationError):
        text = texts.get(
            error.code, QCoreApplication.translate("Messages", "The operation failed.")
        )
        return f"{text} [{error.code}]"
    return QCoreApplication.translate(
        "Messages", "Unexpected error. The case is saved; restart the step. [{name}]"
    ).format(name=type(error).__name__)


def action_text(action: str) -> str:
    return {
        "refuse": QCoreApplication.translate("Messages", "Refuse"),
        "refer": QCoreApplication.translate("Messages", "Refer"),
        "notify": QCoreApplication.translate("Messages", "Notify"),
    }.get(action, action)


def hit_kind_text(kind: str) -> str:
    return {
        "document_number": QCoreApplication.translate("Messages", "Document number on watchlist"),
        "lost_stolen_document": QCoreApplication.translate("Messages", "Lost or stolen document"),
        "biographic": QCoreApplication.translate("Messages", "Name and date of birth"),
        "face": QCoreApplication.translate("Messages", "Face"),
        "fingerprint": QCoreApplication.translate("Messages", "Fingerprint"),
        "invalidated_card": QCoreApplication.translate("Messages", "Invalidated residence card"),
        "deferment": QCoreApplication.translate("Messages", "Departure-confirmation deferment"),
        "policy_list": QCoreApplication.translate("Messages", "Landing-restriction list"),
    }.get(kind, kind)


def reason_text(reason: str) -> str:
    return {
        "name": QCoreApplication.translate("Messages", "name"),
        "birth_date": QCoreApplication.translate("Messages", "same date of birth"),
        "birth_date_near": QCoreApplication.translate("Messages", "close date of birth"),
        "nationality": QCoreApplication.translate("Messages", "nationality"),
        "document_number": QCoreApplication.translate("Messages", "document number"),
        "stolen": QCoreApplication.translate("Messages", "reported stolen"),
        "lost": QCoreApplication.translate("Messages", "reported lost"),
        "name_variant": QCoreApplication.translate("Messages", "spelling variant"),
        "name_native": QCoreApplication.translate("Messages", "native-script name"),
        "name_typo": QCoreApplication.translate("Messages", "small spelling difference"),
        "face": QCoreApplication.translate("Messages", "face like the watchlist photo"),
        "fingerprint": QCoreApplication.translate(
            "Messages", "fingerprint like a watchlist finger"
        ),
        "finger_2": QCoreApplication.translate("Messages", "right index"),
        "finger_7": QCoreApplication.translate("Messages", "left index"),
    }.get(reason) or _other_reason(reason)


def _other_reason(reason: str) -> str:
    if reason.startswith("FMR-"):
        return strength_text(reason)
    if reason.startswith("finger_"):
        return QCoreApplication.translate("Messages", "finger {n}").format(n=reason[7:])
    return reason


def period_text(period: str) -> str:
    """``P4Y3M`` -> "4 years 3 months"; markers become words."""
    if period == "INDEFINITE":
        return QCoreApplication.translate("Messages", "Indefinite")
    if period == "DESIGNATED":
        return QCoreApplication.translate("Messages", "Designated period")
    if period == "DURATION_OF_MISSION":
        return QCoreApplication.translate("Messages", "Duration of mission")
    parts = []
    number = ""
    for ch in period[1:]:
        if ch.isdigit():
            number += ch
            continue
        unit = {
            "Y": QCoreApplication.translate("Messages", "{n} years"),
            "M": QCoreApplication.translate("Messages", "{n} months"),
            "D": QCoreApplication.translate("Messages", "{n} days"),
        }[ch]
        parts.append(unit.format(n=number))
        number = ""
    return " ".join(parts)


def state_text(state: str) -> str:
    return {
        "document": QCoreApplication.translate("Messages", "Document"),
        "face": QCoreApplication.translate("Messages", "Face"),
        "fingerprints": QCoreApplication.translate("Messages", "Fingerprints"),
        "checks": QCoreApplication.translate("Messages", "Checks"),
        "decision": QCoreApplication.translate("Messages", "Decision"),
        "closed": QCoreApplication.translate("Messages", "Closed"),
    }.get(state, state)


def decision_text(kind: str) -> str:
    return {
        "permit_landing": QCoreApplication.translate("Messages", "Landing permitted"),
        "refer_secondary": QCoreApplication.translate(
            "Messages", "Referred to secondary inspection"
        ),
        "refuse_landing": QCoreApplication.translate("Messages", "Landing refused"),
    }.get(kind, kind)


def strength_text(code: str) -> str:
    """A calibrated false-match strength (``FMR-1IN-10000``) in words, never a bare score."""
    beyond = code.startswith("FMR-BEYOND-")
    try:
        one_in = int(code.rsplit("-", 1)[1])
    except (IndexError, ValueError):
        return code
    if beyond:
        return QCoreApplication.translate(
            "Messages", "another person would score this high less than 1 in {n} times"
        ).format(n=f"{one_in:,}")
    return QCoreApplication.translate(
        "Messages", "another person would score this high about 1 in {n} times"
    ).format(n=f"{one_in:,}")


def face_outcome_text(outcome: str) -> str:
    return {
        "match": QCoreApplication.translate("Messages", "Face matches the document photo"),
        "no_match": QCoreApplication.translate(
            "Messages", "Face does NOT match the document photo"
        ),
        "no_reference": QCoreApplication.translate(
            "Messages", "The document has no photo to compare"
        ),
        "no_face_live": QCoreApplication.translate(
            "Messages", "No face found in the live capture: retake it"
        ),
        "no_face_reference": QCoreApplication.translate(
            "Messages", "No face found in the document photo"
        ),
    }.get(outcome, outcome)


def quality_hint(code: str) -> str:
    """What the officer tells the traveller when a face quality check does not pass."""
    return {
        "FACE-COUNT": QCoreApplication.translate("Messages", "Exactly one face must be in view"),
        "FACE-SIZE": QCoreApplication.translate("Messages", "Move closer to the camera"),
        "FACE-YAW": QCoreApplication.translate("Messages", "Look straight at the camera"),
        "FACE-PITCH": QCoreApplication.translate("Messages", "Keep the head level"),
        "FACE-ROLL": QCoreApplication.translate("Messages", "Keep the head upright"),
        "FACE-EYES-OPEN": QCoreApplication.translate("Messages", "Open the eyes"),
        "IMG-SHARPNESS": QCoreApplication.translate("Messages", "Hold still: the image is blurred"),
        "IMG-EXPOSURE": QCoreApplication.translate("Messages", "Lighting too dark or too bright"),
        "IMG-CONTRAST": QCoreApplication.translate("Messages", "Low contrast: check the lighting"),
        "PAD-STILL": QCoreApplication.translate(
            "Messages", "No natural movement: ask the traveller to blink"
        ),
    }.get(code, code)


def chip_verdict_text(verdict: str) -> str:
    """The chip reader's verdict in plain words."""
    return {
        "genuine": QCoreApplication.translate(
            "Messages", "Chip verified: data signed by a trusted authority."
        ),
        "signature_invalid": QCoreApplication.translate(
            "Messages", "Chip data does not match its signature: possible forgery."
        ),
        "untrusted_certificate": QCoreApplication.translate(
            "Messages", "Chip signed by an authority not in the trust list."
        ),
        "data_group_hash_mismatch": QCoreApplication.translate(
            "Messages", "Chip data was changed after issue: possible forgery."
        ),
        "clone_suspected": QCoreApplication.translate(
            "Messages", "The chip failed its own authentication: possible cloned chip."
        ),
        "no_signature": QCoreApplication.translate(
            "Messages", "No signature on the chip (normal for a holder under 16)."
        ),
        "access_denied": QCoreApplication.translate("Messages", "The chip refused access."),
        "wrong_card_number": QCoreApplication.translate(
            "Messages", "The chip refused the card number."
        ),
        "unreadable": QCoreApplication.translate(
            "Messages", "The chip could not be read completely."
        ),
    }.get(verdict, verdict)


def finger_hint_text(code: str) -> str:
    """What the officer tells the traveller when a finger capture is refused."""
    return {
        "FP-HINT-NO-FINGER": QCoreApplication.translate(
            "Messages", "No finger on the scanner: place the finger flat on the glass"
        ),
        "FP-HINT-PRESS": QCoreApplication.translate(
            "Messages", "Press a little harder, with the finger flat and in the centre"
        ),
        "FP-HINT-WET": QCoreApplication.translate(
            "Messages", "Finger too wet or pressed too hard: wipe it dry and press gently"
        ),
        "FP-HINT-DRY": QCoreApplication.translate(
            "Messages", "Finger too dry: breathe on the fingertip, then place it again"
        ),
        "FP-QUALITY-LOW": QCoreApplication.translate(
            "Messages", "Quality below the threshold: retake"
        ),
        "FP-ALTERED-SUSPECT": QCoreApplication.translate(
            "Messages",
            "The ridges look scarred or altered: look at the finger, and refer if in doubt",
        ),
    }.get(code, code)


def finger_exception_text(exception: str) -> str:
    """Why a finger was not captured (``FingerException`` values)."""
    return {
        "missing": QCoreApplication.translate("Messages", "Missing finger"),
        "injured": QCoreApplication.translate("Messages", "Injured finger"),
        "unusable": QCoreApplication.translate("Messages", "Unusable (no readable print)"),
    }.get(exception, exception)


def finger_name_text(position: int) -> str:
    """ISO/IEC 19794-4 finger position in words (the booth uses 2 and 7)."""
    return {
        1: QCoreApplication.translate("Messages", "Right thumb"),
        2: QCoreApplication.translate("Messages", "Right index"),
        3: QCoreApplication.translate("Messages", "Right middle"),
        4: QCoreApplication.translate("Messages", "Right ring"),
        5: QCoreApplication.translate("Messages", "Right little"),
        6: QCoreApplication.translate("Messages", "Left thumb"),
        7: QCoreApplication.translate("Messages", "Left index"),
        8: QCoreApplication.translate("Messages", "Left middle"),
        9: QCoreApplication.translate("Messages", "Left ring"),
        10: QCoreApplication.translate("Messages", "Left little"),
    }.get(position, str(position))
