"""Searching the watchlist's face and finger references (1:N) during the checks.

The references arrive with the watchlist (images, and templates computed by the publisher,
see :func:`add_templates`). :class:`BiometricScreen` holds them in memory, one face gallery
and one finger index, built off the caller's thread by :meth:`BiometricScreen.load` and
swapped in whole, so a search sees one watchlist version, never a mixture. A reference that
arrived without a template is encoded at load when an encoder is given; one that cannot be
encoded (no face found, unreadable) is counted as *unsearchable* and reported, never
silently dropped.

Thresholds come from the policy. A 1:N search over N references meets N chances of a false
match, so the face threshold is set for a much lower false-match rate than the 1:1 check
(``face_watchlist_fmr``): every candidate shown is "possibly this person", for the officer to
compare side by side, never an automatic decision.
"""

from __future__ import annotations

import base64
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from workstation.captures import FingerCapture
from workstation.cases import BiometricSearch
from workstation.errors import CaptureFailed
from workstation.face.calibration import CalibrationTable, FaceMatcher
from workstation.face.gallery import FaceGallery
from workstation.face.templates import TEMPLATE_DIMENSIONS, FaceTemplate
from workstation.fingerprint.index import FingerIndex
from workstation.fingerprint.iso19794_2 import IsoRecordError, encode, load_template
from workstation.fingerprint.persons import finger_key, search_persons, split_finger_key
from workstation.fingerprint.template import FingerTemplate
from workstation.policy import Policy
from workstation.watchlist import (
    BiometricModality,
    HitKind,
    WatchlistHit,
    WatchlistPerson,
)

logger = logging.getLogger(__name__)

FaceEncode = Callable[[bytes], FaceTemplate]
"""Encoded image -> face template; raises CaptureFailed when no face is found."""
FingerExtract = Callable[[bytes], FingerTemplate]
"""Encoded finger image -> minutiae; raises CaptureFailed when it cannot be processed."""


@dataclass(frozen=True)
class StoredReference:
    """One reference row as the store holds it.

    :param position: 0.. for faces (the n-th face image), ISO/IEC 19794-4 finger position
        (1..10) for fingers.
    :param template: the publisher's template (face template bytes or an ISO/IEC 19794-2
        record), or ``None``.
    :param image: the reference image, needed only when ``template`` is ``None``.
    """

    entry_id: str
    modality: BiometricModality
    position: int
    template: bytes | None
    image: bytes | None = None


@dataclass(frozen=True)
class BiometricMatch:
    """A watchlist reference the traveller's face or finger matched.

    :param score: cosine similarity (face) or the 1:1 finger matcher's similarity.
    :param strength_code: the face match's calibrated false-match strength (``FMR-1IN-…``);
        empty for fingers.
    :param probe_position: the traveller's finger that matched (0 for the face).
    """

    modality: BiometricModality
    entry_id: str
    position: int
    score: float
    strength_code: str = ""
    probe_position: int = 0


@dataclass(frozen=True)
class LoadReport:
    """What a load found: searchable references per modality and those that were not."""

    version: int
    faces: int = 0
    fingers: int = 0
    encoded_at_load: int = 0
    unsearchable: tuple[str, ...] = field(default_factory=tuple)
    """``entry/modality/position`` of references without a usable template."""


_FACE_BYTES = len(FaceTemplate.FORMAT_MAGIC) + 4 * TEMPLATE_DIMENSIONS
EARLIER_FACE_FORMATS = frozenset({b"SKF1"})
"""Magics of face templates from earlier encoders: their references are encoded again."""


def _face_from_image(ref: StoredReference) -> bool:
    """Whether a face reference's template comes from its image at load, not the publisher."""
    if ref.template is None:
        return True
    return ref.template[: len(FaceTemplate.FORMAT_MAGIC)] in EARLIER_FACE_FORMATS and bool(
        ref.image
    )


# references are keyed ``entry/position``, faces and fingers alike
_key, _split = finger_key, split_finger_key


@dataclass(frozen=True)
class _Loaded:
    version: int
    gallery: FaceGallery
    fingers: FingerIndex | None
    ready: bool = True


class BiometricScreen:
    """The watchlist's references in memory, searched 1:N during the checks.

    :param calibration: the face calibration table (thresholds and strengths).
    :param face_encode: encodes reference images that came without a template, and probes.
    :param finger_extract: extracts minutiae from finger images (references and probes).
    """

    def __init__(
        self,
        calibration: CalibrationTable,
        face_encode: FaceEncode | None = None,
        finger_extract: FingerExtract | None = None,
    ) -> None:
        self._calibration = calibration
        self._face_encode = face_encode
        self._finger_extract = finger_extract
        self._lock = threading.Lock()
        self._loaded = _Loaded(0, FaceGallery(), None, ready=False)
        self.report = LoadReport(0)

    @property
    def version(self) -> int:
        """The watchlist version whose references are loaded (0: none yet)."""
        return self._loaded.version

    def load(self, version: int, references: Iterable[StoredReference]) -> LoadReport:
        """Build the gallery and the finger index of ``version`` and swap them in.

        Searches keep using the previous version until the swap. Safe to call from a
        background thread. Face templates are parsed in bulk (a million in a few seconds).
        """
        face_ids: list[str] = []
        face_payloads: list[bytes] = []
        finger_items: list[tuple[str, FingerTemplate]] = []
        encoded = 0
        unsearchable: list[str] = []
        for ref in references:
            key = _key(ref.entry_id, ref.position)
            try:
                if ref.modality is BiometricModality.FACE:
                    payload = self._face_payload(ref)
                    if payload is not None:
                        encoded += _face_from_image(ref)
                        face_ids.append(key)
                        face_payloads.append(payload)
                        continue
                else:
                    finger = self._finger_template(ref)
                    if finger is not None:
                        encoded += ref.template is None
                        finger_items.append((key, finger))
                        continue
            except (CaptureFailed, IsoRecordError, ValueError) as e:
                logger.warning("watchlist reference not searchable: %s", type(e).__name__)
            unsearchable.append(f"{ref.entry_id}/{ref.modality.value}/{ref.position}")
        matrix = np.frombuffer(b"".join(face_payloads), dtype="<f4").reshape(
            -1, TEMPLATE_DIMENSIONS
        )
        usable = np.isfinite(matrix).all(axis=1) & (np.abs(matrix).sum(axis=1) > 0)
        for face_key, ok in zip(face_ids, usable, strict=True):
            if not ok:
                entry_id, position = _split(face_key)
                unsearchable.append(f"{entry_id}/face/{position}")
        gallery = FaceGallery(capacity=max(int(usable.sum()), 1))
        if usable.any():
            gallery.add_many(
                [k for k, ok in zip(face_ids, usable, strict=True) if ok], matrix[usable]
            )
        fingers = FingerIndex.build(finger_items) if finger_items else None
        report = LoadReport(version, len(gallery), len(finger_items), encoded, tuple(unsearchable))
        with self._lock:
            self._loaded = _Loaded(version, gallery, fingers)
            self.report = report
        logger.info(
            "watchlist v%d biometrics loaded: %d faces, %d fingers, %d unsearchable",
            version,
            report.faces,
            report.fingers,
            len(unsearchable),
        )
        return report

    def _face_payload(self, ref: StoredReference) -> bytes | None:
        """The 128 little-endian floats of a face reference's template."""
        magic = FaceTemplate.FORMAT_MAGIC
        template = None if _face_from_image(ref) else ref.template
        if template is not None:
            if len(template) != _FACE_BYTES or not template.startswith(magic):
                raise ValueError("not a face template")
            return template[len(magic) :]
        if ref.image is not None and self._face_encode is not None:
            return self._face_encode(ref.image).to_bytes()[len(magic) :]
        return None

    def _finger_template(self, ref: StoredReference) -> FingerTemplate | None:
        if ref.template is not None:
            return load_template(ref.template)
        if ref.image is not None and self._finger_extract is not None:
            return self._finger_extract(ref.image)
        return None

    def search_face(self, probe: FaceTemplate, policy: Policy) -> tuple[BiometricMatch, ...]:
        """Face references at or above the policy's 1:N threshold, best first."""
        gallery = self._loaded.gallery
        if not len(gallery):
            return ()
        # A rate below what the calibration set can show is held at its resolution.
        target = max(policy.face_watchlist_fmr, self._calibration.resolution)
        matcher = FaceMatcher(self._calibration, target)
        found = []
        for hit in gallery.search(probe, k=policy.watchlist_candidates):
            result = matcher.assess(hit.score)
            if not result.matched:
                break
            entry_id, position = _split(hit.id)
            found.append(
                BiometricMatch(
                    BiometricModality.FACE, entry_id, position, hit.score, result.strength.code
                )
            )
        return tuple(found)

    def search_fingers(
        self,
        probes: Sequence[tuple[int, FingerTemplate]],
        policy: Policy,
        also: Iterable[str] = (),
    ) -> tuple[BiometricMatch, ...]:
        """Finger references the 1:1 matcher scores at or above the policy threshold.

        The traveller's fingers (``(position, template)``) pre-select persons on their summed
        votes and are searched 1:N in parallel; every person a search (or ``also``: persons
        the face search found) puts forward is checked with all the traveller's fingers
        against that person's fingers of the same position
        (:func:`~workstation.fingerprint.persons.search_persons`).
        """
        index = self._loaded.fingers
        if index is None or not probes:
            return ()
        found = []
        candidates = search_persons(index, probes, top=policy.watchlist_candidates, also=also)
        for candidate in candidates:
            for s in sorted(candidate.scores, key=lambda s: -s.score):
                if s.score >= policy.finger_watchlist_threshold:
                    found.append(
                        BiometricMatch(
                            BiometricModality.FINGER,
                            s.person,
                            s.enrolled_position,
                            s.score,
                            probe_position=s.probe_position,
                        )
                    )
        return tuple(found)

    def screen(
        self,
        face: bytes | None,
        fingers: Sequence[FingerCapture],
        policy: Policy,
    ) -> tuple[tuple[BiometricMatch, ...], BiometricSearch]:
        """Search the traveller's captured face image and fingers.

        A face or finger that cannot be encoded is not searched and not listed in the
        returned :class:`BiometricSearch` (the capture's quality gate is where it is refused).
        """
        loaded = self._loaded
        matches: list[BiometricMatch] = []
        probes: list[str] = []
        if face is not None and self._face_encode is not None and len(loaded.gallery):
            try:
                template = self._face_encode(face)
            except CaptureFailed:
                logger.warning("live face not searchable")
            else:
                matches.extend(self.search_face(template, policy))
                probes.append("face")
        if self._finger_extract is not None and loaded.fingers is not None:
            taken: list[tuple[int, FingerTemplate]] = []
            for capture in fingers:
                if capture.image is None:
                    continue
                try:
                    taken.append((capture.finger.value, self._finger_extract(capture.image)))
                except CaptureFailed:
                    logger.warning("finger %s not searchable", capture.finger.value)
                    continue
                probes.append(f"finger_{capture.finger.value}")
            faces = [m.entry_id for m in matches]
            matches.extend(self.search_fingers(taken, policy, also=faces))
        searched = BiometricSearch(
            loaded.version,
            len(loaded.gallery),
            len(loaded.fingers) if loaded.fingers is not None else 0,
            tuple(probes),
            loaded.ready,
        )
        return tuple(matches), searched


def biometric_hits(
    matches: Iterable[BiometricMatch], persons: Mapping[str, WatchlistPerson]
) -> tuple[WatchlistHit, ...]:
    """One hit per listed person and modality, from its best-scoring reference.

    Matches whose person is not in ``persons`` (a reference without its person row) are left
    out and logged: there is nobody to show.
    """
    best: dict[tuple[str, BiometricModality], BiometricMatch] = {}
    fingers: dict[str, set[int]] = {}
    for match in matches:
        slot = (match.entry_id, match.modality)
        if slot not in best or match.score > best[slot].score:
            best[slot] = match
        if match.modality is BiometricModality.FINGER:
            fingers.setdefault(match.entry_id, set()).add(match.probe_position)
    hits = []
    for (entry_id, modality), match in best.items():
        person = persons.get(entry_id)
        if person is None:
            logger.warning("biometric match for an entry without a person row")
            continue
        reasons: tuple[str, ...]
        if modality is BiometricModality.FACE:
            kind, reasons = HitKind.FACE, ("face", match.strength_code)
        else:
            kind = HitKind.FINGERPRINT
            reasons = ("fingerprint", *(f"finger_{p}" for p in sorted(fingers[entry_id])))
        hits.append(
            WatchlistHit(
                kind,
                entry_id,
                person.action,
                person.severity,
                round(match.score, 4),
                reasons,
                f"{person.surname}, {person.given_names}".strip(", "),
                reference=match.position,
            )
        )
    return tuple(hits)


# Publishing


def add_templates(
    records: Mapping[tuple[str, str], dict[str, object]],
    face_encode: FaceEncode | None,
    finger_extract: FingerExtract | None,
) -> LoadReport:
    """Compute the template of every biometric record that has an image and none yet.

    Used by the publisher, so that workstations load templates instead of encoding a
    million images. Records are changed in place (``d["template"]``, base64).

    :returns: how many face and finger templates were added, and the references for which
        none could be made (published without one: the workstation cannot search them).
    """
    faces = fingers = 0
    failed: list[str] = []
    for (kind, key), record in records.items():
        if kind != "bio":
            continue
        data = record["d"]
        if not isinstance(data, dict) or data.get("template") or not data.get("image"):
            continue
        image = base64.b64decode(str(data["image"]))
        try:
            if data["modality"] == BiometricModality.FACE.value:
                if face_encode is None:
                    continue
                template = face_encode(image).to_bytes()
                faces += 1
            else:
                if finger_extract is None:
                    continue
                template = encode(finger_extract(image))
                fingers += 1
        except (CaptureFailed, ValueError) as e:
            logger.warning("no template for %s: %s", key, type(e).__name__)
            failed.append(key)
            continue
        data["template"] = base64.b64encode(template).decode("ascii")
    return LoadReport(0, faces, fingers, faces + fingers, tuple(failed))
