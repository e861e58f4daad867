"""Travel documents: the machine-readable zone (ICAO 9303 Parts 3-5) and document values."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import Enum, unique
from typing import ClassVar

from workstation.errors import InvalidMrz

_WEIGHTS = (7, 3, 1)
_MRZ_CHARS = re.compile(r"^[A-Z0-9<]+$")


def check_digit(field: str) -> str:
    """ICAO 9303 Part 3 §4.9 check digit: weights 7-3-1, ``<`` = 0, ``A``..``Z`` = 10..35.

    :param field: MRZ characters (``0-9``, ``A-Z``, ``<``).
    :raises InvalidMrz: on any other character.
    """
    total = 0
    for i, ch in enumerate(field):
        if ch.isdigit():
            value = ord(ch) - 48
        elif "A" <= ch <= "Z":
            value = ord(ch) - 55
        elif ch == "<":
            value = 0
        else:
            raise InvalidMrz(f"character not allowed in MRZ: {ch!r}")
        total += value * _WEIGHTS[i % 3]
    return str(total % 10)


@unique
class DocumentKind(Enum):
    """What kind of document was presented."""

    PASSPORT = "passport"
    RESIDENCE_CARD = "residence_card"
    SPECIAL_PERMANENT_RESIDENT_CERTIFICATE = "spr_certificate"
    OTHER_TRAVEL_DOCUMENT = "other"


@unique
class MrzFormat(Enum):
    TD1 = "TD1"  # 3 lines of 30 (ID cards)
    TD2 = "TD2"  # 2 lines of 36
    TD3 = "TD3"  # 2 lines of 44 (passport books)


@unique
class DataSource(Enum):
    """Where the document data came from; chip data outranks printed data."""

    CHIP = "chip"
    MRZ_OCR = "mrz_ocr"
    MANUAL = "manual"
    SIMULATED = "simulated"


def _date(yymmdd: str, *, future: bool) -> dt.date | None:
    """Two-digit years: expiry dates are taken in the future window, birth dates in the past."""
    if not yymmdd.isdigit():
        return None
    yy, mm, dd = int(yymmdd[:2]), int(yymmdd[2:4]), int(yymmdd[4:6])
    this_year = dt.date.today().year % 100
    century = 2000 if (yy <= this_year + (20 if future else 0)) else 1900
    try:
        return dt.date(century + yy, mm, dd)
    except ValueError:
        return None


def _names(field: str) -> tuple[str, str]:
    primary, _, secondary = field.partition("<<")
    return (
        primary.replace("<", " ").strip(),
        secondary.replace("<", " ").strip(),
    )


@dataclass(frozen=True)
class Mrz:
    """A parsed and check-digit-verified machine-readable zone.

    Build it with :meth:`parse`; the raw lines are kept in ``lines`` because chip
    authentication (BAC/PACE) and Passive Authentication compare against them.
    """

    format: MrzFormat
    document_code: str
    issuing_state: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: dt.date | None
    sex: str
    expiry_date: dt.date | None
    optional_data: str
    lines: tuple[str, ...]

    LENGTHS: ClassVar[dict[tuple[int, int], MrzFormat]] = {
        (3, 30): MrzFormat.TD1,
        (2, 36): MrzFormat.TD2,
        (2, 44): MrzFormat.TD3,
    }

    @classmethod
    def parse(cls, text: str) -> Mrz:
        """Parse TD1, TD2 or TD3 text (lines separated by newlines) and verify every check digit.

        :raises InvalidMrz: wrong shape, bad characters or a failed check digit; the
            ``detail`` names the failing field, never its value.
        """
        lines = tuple(line.strip().upper() for line in text.strip().splitlines() if line.strip())
        shape = (len(lines), len(lines[0]) if lines else 0)
        fmt = cls.LENGTHS.get(shape)
        if fmt is None or any(len(line) != shape[1] for line in lines):
            raise InvalidMrz(f"not a TD1/TD2/TD3 MRZ: {len(lines)} lines")
        for line in lines:
            if not _MRZ_CHARS.match(line):
                raise InvalidMrz("MRZ contains characters outside A-Z 0-9 <")
        if fmt is MrzFormat.TD1:
            return cls._parse_td1(lines)
        return cls._parse_td2_td3(lines, fmt)

    @staticmethod
    def _verify(name: str, field: str, digit: str) -> None:
        if check_digit(field) != digit:
            raise InvalidMrz(f"check digit failed: {name}")

    @classmethod
    def _parse_td2_td3(cls, lines: tuple[str, ...], fmt: MrzFormat) -> Mrz:
        l1, l2 = lines
        surname, given = _names(l1[5:])
        number, number_cd = l2[0:9], l2[9]
        end = 42 if fmt is MrzFormat.TD3 else 35
        cls._verify("document number", number, number_cd)
        cls._verify("date of birth", l2[13:19], l2[19])
        cls._verify("date of expiry", l2[21:27], l2[27])
        optional = l2[28:end]
        if fmt is MrzFormat.TD3 and (l2[42] != "<" or optional.strip("<")):
            cls._verify("personal number", optional, l2[42])
        composite_end = 43 if fmt is MrzFormat.TD3 else 35
        cls._verify("composite", l2[0:10] + l2[13:20] + l2[21:composite_end], l2[composite_end])
        return cls(
            format=fmt,
            document_code=l1[0:2].rstrip("<"),
            issuing_state=l1[2:5].rstrip("<"),
            document_number=number.rstrip("<"),
            surname=surname,
            given_names=given,
            nationality=l2[10:13].rstrip("<"),
            birth_date=_date(l2[13:19], future=False),
            sex=l2[20].replace("<", "X"),
            expiry_date=_date(l2[21:27], future=True),
            optional_data=optional.rstrip("<"),
            lines=lines,
        )

    @classmethod
    def _parse_td1(cls, lines: tuple[str, ...]) -> Mrz:
        l1, l2, l3 = lines
        number, number_cd, optional1 = l1[5:14], l1[14], l1[15:30]
        if number_cd == "<" and optional1.strip("<"):
            # ICAO 9303-5 §4.2.2 note: a number longer than 9 characters continues in the
            # optional data, and its check digit is the last character before the filler.
            extra = optional1.split("<", 1)[0]
            number, number_cd = number + extra[:-1], extra[-1]
            optional1 = optional1[len(extra) :]
        cls._verify("document number", number, number_cd)
        cls._verify("date of birth", l2[0:6], l2[6])
        cls._verify("date of expiry", l2[8:14], l2[14])
        cls._verify("composite", l1[5:30] + l2[0:7] + l2[8:15] + l2[18:29], l2[29])
        surname, given = _names(l3)
        return cls(
            format=MrzFormat.TD1,
            document_code=l1[0:2].rstrip("<"),
            issuing_state=l1[2:5].rstrip("<"),
            document_number=number.rstrip("<"),
            surname=surname,
            given_names=given,
            nationality=l2[15:18].rstrip("<"),
            birth_date=_date(l2[0:6], future=False),
            sex=l2[7].replace("<", "X"),
            expiry_date=_date(l2[8:14], future=True),
            optional_data=(optional1 + l2[18:29]).strip("<"),
            lines=lines,
        )

    @property
    def text(self) -> str:
        return "\n".join(self.lines)


@dataclass(frozen=True)
class DocumentData:
    """What the workstation knows about a presented document and its holder.

    ``portrait`` is the encoded chip or card photo (JPEG/JPEG 2000/PNG) or ``None`` when
    the source has none; ``mrz`` is ``None`` for documents without one (residence cards).
    ``chip_verdict`` is the chip reader's authenticity verdict code (``"genuine"``,
    ``"signature_invalid"``, ``"no_signature"``…), ``None`` when no chip was verified, and
    ``chip_access`` how the chip was opened (``"PACE"``, ``"BAC"``, ``"card_number"``).
    """

    kind: DocumentKind
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: dt.date | None
    sex: str
    expiry_date: dt.date | None
    issuing_state: str
    source: DataSource
    mrz: Mrz | None = None
    portrait: bytes | None = None
    chip_verdict: str | None = None
    chip_access: str | None = None

    CHIP_ACCEPTED: ClassVar[frozenset[str]] = frozenset({"genuine", "no_signature"})
    """Verdicts that do not by themselves speak against the document (an under-16
    residence card carries no signature)."""

    @property
    def chip_rejected(self) -> bool:
        """The chip was verified and failed: a permit must not rest on this document."""
        return self.chip_verdict is not None and self.chip_verdict not in self.CHIP_ACCEPTED

    @classmethod
    def from_mrz(cls, mrz: Mrz, source: DataSource, portrait: bytes | None = None) -> DocumentData:
        kind = (
            DocumentKind.PASSPORT
            if mrz.document_code.startswith("P")
            else (DocumentKind.OTHER_TRAVEL_DOCUMENT)
        )
        return cls(
            kind=kind,
            document_number=mrz.document_number,
            surname=mrz.surname,
            given_names=mrz.given_names,
            nationality=mrz.nationality,
            birth_date=mrz.birth_date,
            sex=mrz.sex,
            expiry_date=mrz.expiry_date,
            issuing_state=mrz.issuing_state,
            source=source,
            mrz=mrz,
            portrait=portrait,
        )

    @property
    def full_name(self) -> str:
        return f"{self.surname}, {self.given_names}" if self.given_names else self.surname

    def is_expired(self, today: dt.date) -> bool:
        return self.expiry_date is not None and self.expiry_date < today


@dataclass(frozen=True)
class MrzAccessKey:
    """BAC/PACE access from the MRZ: document number, date of birth, date of expiry (YYMMDD)."""

    document_number: str
    birth_date: str
    expiry_date: str

    @classmethod
    def from_mrz(cls, mrz: Mrz) -> MrzAccessKey:
        line = mrz.lines[1] if mrz.format is not MrzFormat.TD1 else ""
        if mrz.format is MrzFormat.TD1:
            birth, expiry = mrz.lines[1][0:6], mrz.lines[1][8:14]
        else:
            birth, expiry = line[13:19], line[21:27]
        return cls(mrz.document_number, birth, expiry)


@dataclass(frozen=True)
class CanAccessKey:
    """PACE access with the Card Access Number printed on the document."""

    can: str


@dataclass(frozen=True)
class CardNumberAccessKey:
    """Residence-card access with the 12-character card number printed on the card."""

    card_number: str


AccessKey = MrzAccessKey | CanAccessKey | CardNumberAccessKey
