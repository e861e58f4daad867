"""Japanese residence cards (在留カード) and special permanent resident certificates.

Pure value objects: the card number, what the chip holds, the result of each check and the
one verdict an inspector sees. Reading and verifying happen in :mod:`devices.residence_card`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum, unique

from workstation.documents import DataSource, DocumentData, DocumentKind
from workstation.errors import DocumentError

_CARD_NUMBER = re.compile(r"^[A-Z]{2}[0-9]{8}[A-Z]{2}$")


class InvalidCardNumber(DocumentError):
    """The typed card number is not two letters, eight digits and two letters."""

    code = "DOC-CARD-NUMBER-INVALID"


def parse_card_number(text: str) -> str:
    """Normalise and validate a residence-card number before anything is sent to a card.

    Spaces and hyphens are removed and letters upper-cased. No check digit is published,
    so only the shape is checked; the chip itself checks the number.

    :param text: what the operator typed, e.g. ``"ab 12345678 cd"``.
    :returns: the 12-character number, e.g. ``"AB12345678CD"``.
    :raises InvalidCardNumber: the shape is wrong (the detail never repeats the value).
    """
    number = re.sub(r"[\s-]", "", text).upper()
    if not number.isascii() or not _CARD_NUMBER.match(number):
        raise InvalidCardNumber("card number must be 2 letters, 8 digits, 2 letters")
    return number


@unique
class CardType(Enum):
    """The card-type code in MF/EF02 (tag C1)."""

    RESIDENCE_CARD = "1"
    SPECIAL_PERMANENT_RESIDENT = "2"
    RESIDENCE_CARD_GEN2 = "05"
    SPECIAL_PERMANENT_RESIDENT_GEN2 = "06"

    @property
    def generation(self) -> int:
        return 1 if len(self.value) == 1 else 2

    @property
    def is_residence_card(self) -> bool:
        """``False`` for special permanent resident certificates (no permission files)."""
        return self in (CardType.RESIDENCE_CARD, CardType.RESIDENCE_CARD_GEN2)


@unique
class Verdict(Enum):
    """The one answer about a card's chip, most trustworthy first."""

    GENUINE = "genuine"
    SIGNATURE_INVALID = "signature_invalid"
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    NO_SIGNATURE = "no_signature"
    WRONG_CARD_NUMBER = "wrong_card_number"
    UNREADABLE = "unreadable"


@unique
class CheckStatus(Enum):
    PASSED = "passed"
    FAILED = "failed"
    NOT_PRESENT = "not_present"
    NOT_RUN = "not_run"


@unique
class CheckName(Enum):
    """The checks run on a residence card, in the order they run."""

    CARD_NUMBER = "card_number_authentication"
    READ = "read_all_files"
    SIGNATURE = "check_code_signature"
    CERTIFICATE = "certificate_chain"


@dataclass(frozen=True)
class Check:
    """One check and its outcome; ``detail`` is technical and free of personal data."""

    name: CheckName
    status: CheckStatus
    detail: str = ""


@dataclass(frozen=True)
class WorkPermission:
    """Generation 2 DF2/EF01: comprehensive and individual work permission codes."""

    comprehensive: str
    comprehensive_expiry: str
    individual: str


@dataclass(frozen=True)
class ResidenceCardData:
    """What the chip holds, decoded. Images stay encoded (TIFF, JPEG 2000).

    Fields a generation or card type does not carry are ``None``; a zero-filled
    permission file gives an empty string, which means "no permission recorded".
    """

    card_type: CardType
    spec_version: str
    front_image: bytes | None = None
    face_image: bytes | None = None
    address_date: str | None = None
    municipality_code: str | None = None
    address: str | None = None
    comprehensive_permission: str | None = None
    individual_permission: str | None = None
    application_status: str | None = None
    # Generation 2 only.
    card_number: str | None = None
    name_image: bytes | None = None
    address_image: bytes | None = None
    card_expiry: dt.date | None = None
    birth_date: dt.date | None = None
    sex: str | None = None
    nationality: str | None = None
    status_of_residence: str | None = None
    period_of_stay: str | None = None
    permission_type: str | None = None
    permission_date: dt.date | None = None
    work_restriction: str | None = None
    stay_expiry: dt.date | None = None
    work_permission: WorkPermission | None = None
    commissioner_entry: str | None = None
    signed_data: bytes = field(default=b"", repr=False)
    """The exact bytes the check code covers (kept for verification, never logged)."""

    def to_document(self, card_number: str) -> DocumentData:
        """The core's document view. Names are only images on the chip, so they stay empty.

        :param card_number: the number used to open the card.
        """
        kind = (
            DocumentKind.RESIDENCE_CARD
            if self.card_type.is_residence_card
            else DocumentKind.SPECIAL_PERMANENT_RESIDENT_CERTIFICATE
        )
        return DocumentData(
            kind=kind,
            document_number=self.card_number or card_number,
            surname="",
            given_names="",
            nationality=self.nationality or "",
            birth_date=self.birth_date,
            sex={"1": "M", "2": "F"}.get(self.sex or "", "X" if self.sex else ""),
            expiry_date=self.card_expiry,
            issuing_state="JPN",
            source=DataSource.CHIP,
            portrait=self.face_image,
        )


def judge(checks: Sequence[Check]) -> Verdict:
    """The verdict from the checks, as :class:`ResidenceCardReport` records them.

    A card without a check code (holders under 16) gives :attr:`Verdict.NO_SIGNATURE`,
    never a forgery verdict.

    :param checks: the checks that ran.
    """
    by_name = {c.name: c.status for c in checks}
    if by_name.get(CheckName.CARD_NUMBER) is CheckStatus.FAILED:
        return Verdict.WRONG_CARD_NUMBER
    if by_name.get(CheckName.CARD_NUMBER) is not CheckStatus.PASSED:
        return Verdict.UNREADABLE
    if by_name.get(CheckName.READ) is not CheckStatus.PASSED:
        return Verdict.UNREADABLE
    signature = by_name.get(CheckName.SIGNATURE)
    if signature is CheckStatus.NOT_PRESENT:
        return Verdict.NO_SIGNATURE
    if signature is not CheckStatus.PASSED:
        return Verdict.SIGNATURE_INVALID
    if by_name.get(CheckName.CERTIFICATE) is not CheckStatus.PASSED:
        return Verdict.UNTRUSTED_CERTIFICATE
    return Verdict.GENUINE


@dataclass(frozen=True)
class ResidenceCardReport:
    """The outcome of reading one card: its data (if read), every check, and the verdict."""

    checks: tuple[Check, ...]
    data: ResidenceCardData | None = None

    @property
    def verdict(self) -> Verdict:
        return judge(self.checks)

    def check(self, name: CheckName) -> Check | None:
        """The check called ``name``, or ``None`` if it did not run."""
        return next((c for c in self.checks if c.name is name), None)
