"""Maintained code lists: statuses of residence with their periods of stay, and reason codes.

Statuses and periods follow the Immigration Control and Refugee Recognition Act, Annexed
Tables I and II, and the Enforcement Regulations' table of periods of stay. Names are the
official English and Japanese names; they are data, not UI text. When the law changes, edit
this table and note it under "Upgrading" in CHANGELOG.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

INDEFINITE = "INDEFINITE"
"""Period of stay for statuses without a limit."""

DESIGNATED = "DESIGNATED"
"""A period designated individually by the Minister (up to five years)."""


@dataclass(frozen=True)
class StatusOfResidence:
    """One status of residence (在留資格).

    :param periods: ISO 8601 durations allowed (``"P90D"``, ``"P1Y"``), or the
        :data:`INDEFINITE` / :data:`DESIGNATED` markers.
    :param grantable_at_landing: whether a booth inspector may grant it with landing
        permission (permanent residence, for example, is never granted at landing).
    """

    code: str
    name_en: str
    name_ja: str
    periods: tuple[str, ...]
    grantable_at_landing: bool = True


_Y5_TO_M3 = ("P5Y", "P3Y", "P1Y", "P3M")
_Y5_TO_M6 = ("P5Y", "P3Y", "P1Y", "P6M")

STATUSES: tuple[StatusOfResidence, ...] = (
    StatusOfResidence("DIPLOMAT", "Diplomat", "外交", ("DURATION_OF_MISSION",)),
    StatusOfResidence("OFFICIAL", "Official", "公用", (*_Y5_TO_M3, "P30D", "P15D")),
    StatusOfResidence("PROFESSOR", "Professor", "教授", _Y5_TO_M3),
    StatusOfResidence("ARTIST", "Artist", "芸術", _Y5_TO_M3),
    StatusOfResidence("RELIGIOUS", "Religious Activities", "宗教", _Y5_TO_M3),
    StatusOfResidence("JOURNALIST", "Journalist", "報道", _Y5_TO_M3),
    StatusOfResidence("HSP1", "Highly Skilled Professional (i)", "高度専門職1号", ("P5Y",)),
    StatusOfResidence(
        "HSP2", "Highly Skilled Professional (ii)", "高度専門職2号", (INDEFINITE,), False
    ),
    StatusOfResidence(
        "BUSINESS_MANAGER", "Business Manager", "経営・管理", (*_Y5_TO_M3, "P6M", "P4M")
    ),
    StatusOfResidence("LEGAL_ACCOUNTING", "Legal/Accounting Services", "法律・会計業務", _Y5_TO_M3),
    StatusOfResidence("MEDICAL", "Medical Services", "医療", _Y5_TO_M3),
    StatusOfResidence("RESEARCHER", "Researcher", "研究", _Y5_TO_M3),
    StatusOfResidence("INSTRUCTOR", "Instructor", "教育", _Y5_TO_M3),
    StatusOfResidence(
        "ENGINEER_HUMANITIES",
        "Engineer/Specialist in Humanities/International Services",
        "技術・人文知識・国際業務",
        _Y5_TO_M3,
    ),
    StatusOfResidence("INTRA_COMPANY", "Intra-company Transferee", "企業内転勤", _Y5_TO_M3),
    StatusOfResidence("NURSING_CARE", "Nursing Care", "介護", _Y5_TO_M3),
    StatusOfResidence("ENTERTAINER", "Entertainer", "興行", ("P3Y", "P1Y", "P6M", "P3M", "P15D")),
    StatusOfResidence("SKILLED_LABOR", "Skilled Labor", "技能", _Y5_TO_M3),
    StatusOfResidence(
        "SSW1", "Specified Skilled Worker (i)", "特定技能1号", ("P3Y", "P1Y", "P6M", "P4M")
    ),
    StatusOfResidence(
        "SSW2", "Specified Skilled Worker (ii)", "特定技能2号", ("P3Y", "P1Y", "P6M")
    ),
    StatusOfResidence("TITP1", "Technical Intern Training (i)", "技能実習1号", (DESIGNATED,)),
    StatusOfResidence("TITP2", "Technical Intern Training (ii)", "技能実習2号", (DESIGNATED,)),
    StatusOfResidence("TITP3", "Technical Intern Training (iii)", "技能実習3号", (DESIGNATED,)),
    StatusOfResidence("CULTURAL", "Cultural Activities", "文化活動", ("P3Y", "P1Y", "P6M", "P3M")),
    StatusOfResidence(
        "TEMPORARY_VISITOR", "Temporary Visitor", "短期滞在", ("P90D", "P30D", "P15D")
    ),
    StatusOfResidence(
        "STUDENT",
        "Student",
        "留学",
        ("P4Y3M", "P4Y", "P3Y3M", "P3Y", "P2Y3M", "P2Y", "P1Y3M", "P1Y", "P6M", "P3M"),
    ),
    StatusOfResidence("TRAINEE", "Trainee", "研修", ("P1Y", "P6M", "P3M")),
    StatusOfResidence(
        "DEPENDENT",
        "Dependent",
        "家族滞在",
        ("P5Y", "P4Y3M", "P4Y", "P3Y3M", "P3Y", "P2Y3M", "P2Y", "P1Y3M", "P1Y", "P6M", "P3M"),
    ),
    StatusOfResidence(
        "DESIGNATED_ACTIVITIES",
        "Designated Activities",
        "特定活動",
        ("P5Y", "P3Y", "P1Y", "P6M", "P3M", DESIGNATED),
    ),
    StatusOfResidence("PERMANENT_RESIDENT", "Permanent Resident", "永住者", (INDEFINITE,), False),
    StatusOfResidence(
        "SPOUSE_JAPANESE", "Spouse or Child of Japanese National", "日本人の配偶者等", _Y5_TO_M6
    ),
    StatusOfResidence(
        "SPOUSE_PR", "Spouse or Child of Permanent Resident", "永住者の配偶者等", _Y5_TO_M6
    ),
    StatusOfResidence(
        "LONG_TERM_RESIDENT", "Long-Term Resident", "定住者", (*_Y5_TO_M6, DESIGNATED)
    ),
)

_BY_CODE = {s.code: s for s in STATUSES}


def status_by_code(code: str) -> StatusOfResidence | None:
    """The status with this code, or ``None``."""
    return _BY_CODE.get(code)


def grantable_statuses() -> tuple[StatusOfResidence, ...]:
    """Statuses a booth inspector may grant with landing permission, in table order."""
    return tuple(s for s in STATUSES if s.grantable_at_landing)


@dataclass(frozen=True)
class ReasonCode:
    """A reason for a referral or a refusal. ``code`` is stable; the UI translates it."""

    code: str
    name_en: str
    name_ja: str

    REFER: ClassVar[str] = "refer"
    REFUSE: ClassVar[str] = "refuse"


REFERRAL_REASONS: tuple[ReasonCode, ...] = (
    ReasonCode("R-WATCHLIST", "Possible watchlist match", "要注意リスト該当の可能性"),
    ReasonCode("R-BIOMETRIC", "Face or fingerprints do not match the document", "生体照合不一致"),
    ReasonCode("R-DOCUMENT", "Doubt about the document", "旅券等の真正性に疑義"),
    ReasonCode("R-PURPOSE", "Purpose of stay unclear", "活動目的が不明確"),
    ReasonCode("R-CONDITIONS", "Landing conditions not confirmed", "上陸条件に適合しない疑い"),
    ReasonCode("R-OTHER", "Other (see note)", "その他（備考参照）"),
)

REFUSAL_REASONS: tuple[ReasonCode, ...] = (
    ReasonCode("X-NO-VALID-DOCUMENT", "No valid passport or visa", "有効な旅券・査証なし"),
    ReasonCode("X-FALSE-PURPOSE", "Stated activities are false", "申請活動が虚偽"),
    ReasonCode(
        "X-DENIAL-GROUNDS", "Grounds for denial of landing (Art. 5)", "上陸拒否事由該当（第5条）"
    ),
    ReasonCode(
        "X-PAST-DEPORTATION",
        "Within the landing-refusal period after deportation",
        "退去強制後の上陸拒否期間中",
    ),
    ReasonCode("X-FORGED-DOCUMENT", "Forged or altered document", "偽変造旅券"),
    ReasonCode("X-OTHER", "Other (see note)", "その他（備考参照）"),
)


def reason_by_code(code: str) -> ReasonCode | None:
    """A referral or refusal reason by code, or ``None``."""
    for reason in (*REFERRAL_REASONS, *REFUSAL_REASONS):
        if reason.code == code:
            return reason
    return None
