"""Watchlist face and fingerprint candidates, side by side with the traveller's capture.

A 1:N search only says "possibly this person": the officer decides by comparing. Each
candidate shows the traveller's capture on the left and the watchlist's reference image on
the right, with the listed person's name, the action the list asks for and how strong the
match is, in words for faces (the calibrated false-match strength).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ui.messages import action_text, hit_kind_text, reason_text
from ui.widgets import ImageBox
from workstation.watchlist import BiometricModality, HitKind, WatchlistAction, WatchlistHit

ReferenceImage = Callable[[str, BiometricModality, int], "tuple[str, bytes] | None"]
"""(entry ID, modality, position) -> (media type, image bytes), or ``None``."""


@dataclass(frozen=True)
class Candidate:
    """One biometric hit with the two images to compare."""

    hit: WatchlistHit
    live: bytes | None
    reference: bytes | None


BIOMETRIC_KINDS = (HitKind.FACE, HitKind.FINGERPRINT)


class CandidateCard(QFrame):
    """Traveller | watchlist, the name and action, and the match strength."""

    def __init__(self, candidate: Candidate) -> None:
        super().__init__()
        self.setObjectName("candidate")
        hit = candidate.hit
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        self.title = QLabel(
            f"{action_text(hit.action.value)} · {hit.label} · {hit_kind_text(hit.kind.value)}"
        )
        self.title.setObjectName("error" if hit.action is WatchlistAction.REFUSE else "")
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.detail = QLabel(self._detail(hit))
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        images = QHBoxLayout()
        self.live = ImageBox(self.tr("No capture"), (120, 150))
        self.live.set_image(candidate.live)
        self.reference = ImageBox(self.tr("No watchlist image"), (120, 150))
        self.reference.set_image(candidate.reference)
        for caption, box in (
            (self.tr("Traveller"), self.live),
            (self.tr("Watchlist"), self.reference),
        ):
            column = QVBoxLayout()
            column.addWidget(box, 1)
            label = QLabel(caption)
            label.setObjectName("hint")
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            column.addWidget(label)
            images.addLayout(column)
        layout.addLayout(images, 1)

    def _detail(self, hit: WatchlistHit) -> str:
        reasons = [reason_text(r) for r in hit.reasons[1:]]
        if hit.kind is HitKind.FINGERPRINT:
            reasons.append(self.tr("similarity {s:.2f}").format(s=hit.score))
        return ", ".join(reasons)


class CandidateStrip(QScrollArea):
    """A column of :class:`CandidateCard` under a heading, hidden when there is nothing to
    compare; it scrolls when the candidates do not fit."""

    def __init__(self) -> None:
        super().__init__()
        self.setObjectName("candidates")
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self._inner = QWidget()
        self._row = QVBoxLayout(self._inner)
        self._row.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel(self.tr("Watchlist faces and fingerprints: compare before deciding"))
        self.heading.setObjectName("cardTitle")
        self.heading.setWordWrap(True)
        self._row.addWidget(self.heading)
        self._row.addStretch(1)
        self.setWidget(self._inner)
        self.viewport().setAutoFillBackground(False)
        self._inner.setAutoFillBackground(False)
        self.cards: list[CandidateCard] = []
        self.setMinimumHeight(200)
        self.hide()

    def set_candidates(self, candidates: list[Candidate]) -> None:
        for card in self.cards:
            self._row.removeWidget(card)
            card.deleteLater()
        self.cards = [CandidateCard(c) for c in candidates]
        for n, card in enumerate(self.cards):
            self._row.insertWidget(n + 1, card)
        self.setVisible(bool(self.cards))
