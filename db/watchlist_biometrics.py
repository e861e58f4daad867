"""The watchlist's face and finger references, read for the in-memory 1:N search.

Reading a million references takes a while, so :meth:`SqliteBiometricReferences.references`
reads them in chunks, each under the connection's lock, so decisions keep being stored in
between. A snapshot applied during the read (tables swapped) is detected by the version
changing, and the read starts again: the result is always one version whole.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from sqlite_utils import Database

from db.store import _Guarded
from workstation.watchlist import BiometricModality
from workstation.watchlist_biometrics import EARLIER_FACE_FORMATS, StoredReference

CHUNK = 20_000


class VersionChanged(Exception):
    """The watchlist changed while its references were being read."""


class SqliteBiometricReferences(_Guarded):
    """Face and finger references of the applied watchlist."""

    def version(self) -> int:
        """The applied watchlist version (0 if none)."""
        row = self._read(
            lambda db: db.execute("SELECT max(version) FROM watchlist_versions").fetchone()
        )
        return int(row[0] or 0)

    def read_all(self, attempts: int = 3) -> tuple[int, list[StoredReference]]:
        """Every reference of one watchlist version, with that version.

        Images are read only for references whose template must be computed at load (none,
        or a face template from an earlier encoder).

        :raises VersionChanged: the watchlist kept changing during ``attempts`` reads.
        """
        for _ in range(attempts):
            version = self.version()
            try:
                return version, list(self.references(version))
            except VersionChanged:
                continue
        raise VersionChanged("watchlist changed during every read of its references")

    def references(self, version: int) -> Iterator[StoredReference]:
        """The references of ``version``, chunk by chunk.

        :raises VersionChanged: another version was applied during the read.
        """
        last = -1
        while True:
            rows = self._read(functools.partial(self._chunk, version=version, after=last))
            for row_id, entry_id, modality, position, template, image in rows:
                last = int(row_id)
                yield StoredReference(
                    str(entry_id), BiometricModality(modality), int(position), template, image
                )
            if len(rows) < CHUNK:
                return

    @staticmethod
    def _chunk(db: Database, version: int, after: int) -> list[tuple[Any, ...]]:
        current = db.execute("SELECT max(version) FROM watchlist_versions").fetchone()[0]
        if int(current or 0) != version:
            raise VersionChanged
        formers = ", ".join("?" for _ in EARLIER_FACE_FORMATS)
        sql = (
            "SELECT id, entry_id, modality, position, template, "  # noqa: S608 - placeholders only
            "CASE WHEN template IS NULL OR (modality = 'face' AND "
            f"substr(template, 1, 4) IN ({formers})) THEN image END "
            "FROM watchlist_biometrics WHERE id > ? ORDER BY id LIMIT ?"
        )
        return list(db.execute(sql, [*sorted(EARLIER_FACE_FORMATS), after, CHUNK]))

    def image(
        self, entry_id: str, modality: BiometricModality, position: int
    ) -> tuple[str, bytes] | None:
        """A reference image and its media type, for showing beside the live capture."""
        row = self._read(
            lambda db: db.execute(
                "SELECT media_type, image FROM watchlist_biometrics "
                "WHERE entry_id = ? AND modality = ? AND position = ? AND image IS NOT NULL",
                [entry_id, modality.value, position],
            ).fetchone()
        )
        return None if row is None else (str(row[0]), bytes(row[1]))
