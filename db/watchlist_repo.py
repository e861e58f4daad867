"""Watchlist distribution with The Update Framework (python-tuf): publishing and fetching.

Publisher side (headquarters): :func:`init_keys` makes one Ed25519 key per TUF role and the
first signed root (``root.json``, the trust anchor handed to workstations);
:func:`publish` turns a source (:mod:`workstation.watchlist_source`) into a signed
repository of static files; :func:`rotate_key` replaces a role's key through a new root
version signed by the old and the new root keys.

Repository layout (any static HTTP server, or a folder on removable media)::

    metadata/1.root.json  2.root.json ...  timestamp.json
    metadata/<n>.snapshot.json  <n>.targets.json         (consistent snapshots)
    targets/watchlist/<sha256>.index.json                  version, snapshot, deltas
    targets/watchlist/<sha256>.snapshot-<v>.jsonl.gz
    targets/watchlist/<sha256>.delta-<base>-<v>.jsonl.gz

Workstation side: :func:`fetch_update` runs the TUF client workflow (root rotation,
timestamp, snapshot, targets: signatures, thresholds, versions, expiry, hashes and lengths)
and returns the bundle that brings the workstation from its version to the newest: a delta
when one from its version exists, else the snapshot. Trusted metadata, including the
possibly rotated root, is kept in ``trust_dir``; only the very first fetch needs a root.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.serialization import load_pem_private_key
from securesystemslib.signer import CryptoSigner
from sqlite_utils import Database
from tuf.api import exceptions as tuf_errors
from tuf.api.metadata import (
    Metadata,
    MetaFile,
    Root,
    Snapshot,
    TargetFile,
    Targets,
    Timestamp,
)
from tuf.api.serialization.json import JSONSerializer
from tuf.ngclient import Updater
from tuf.ngclient.fetcher import FetcherInterface

from db.watchlist_sync import ApplyResult
from workstation.errors import (
    WatchlistApplyFailed,
    WatchlistExpired,
    WatchlistNotBootstrapped,
    WatchlistSourceInvalid,
    WatchlistUnavailable,
    WatchlistUntrusted,
)
from workstation.ports import Clock
from workstation.watchlist_source import (
    Record,
    RecordKey,
    encode_delta,
    encode_snapshot,
    load_source,
    snapshot_records,
)

logger = logging.getLogger(__name__)

ROLES = ("root", "targets", "snapshot", "timestamp")
INDEX = "watchlist/index.json"
STATE = "publisher-state.json"


@dataclass(frozen=True)
class Expiry:
    """How long each role's signature stays valid after a publication.

    NOTE: the timestamp expiry is the freeze window: a workstation refuses a repository
    whose timestamp has not been re-signed within it.
    """

    root: dt.timedelta = dt.timedelta(days=365)
    targets: dt.timedelta = dt.timedelta(days=30)
    snapshot: dt.timedelta = dt.timedelta(days=30)
    timestamp: dt.timedelta = dt.timedelta(days=2)


@dataclass(frozen=True)
class PublishResult:
    version: int
    snapshot: str
    deltas: dict[int, str] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)


# Keys


def _key_path(keys: Path, role: str) -> Path:
    return keys / f"{role}.ed25519.pem"


def _write_private(path: Path, data: bytes) -> None:
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


def _signer(keys: Path, role: str) -> CryptoSigner:
    try:
        private = load_pem_private_key(_key_path(keys, role).read_bytes(), password=None)
    except (OSError, ValueError) as e:
        raise WatchlistSourceInvalid(f"{role} key unreadable in the keys folder") from e
    return CryptoSigner(private)


def _new_signer() -> CryptoSigner:
    return CryptoSigner(Ed25519PrivateKey.generate())


def _utc(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def init_keys(keys: Path, now: dt.datetime, expiry: Expiry | None = None) -> Path:
    """Create one Ed25519 key per role and the signed root v1; returns ``root.json``'s path.

    NOTE: the private keys are written unencrypted (mode 0600); keep the root key offline.
    :raises WatchlistSourceInvalid: the folder already holds keys.
    """
    expiry = expiry or Expiry()
    keys.mkdir(parents=True, exist_ok=True)
    if any(_key_path(keys, role).exists() for role in ROLES):
        raise WatchlistSourceInvalid("the keys folder already holds keys")
    root = Root(expires=_utc(now) + expiry.root, consistent_snapshot=True)
    signers = {}
    for role in ROLES:
        signer = _new_signer()
        signers[role] = signer
        root.add_key(signer.public_key, role)
        _write_private(_key_path(keys, role), signer.private_bytes)
    metadata = Metadata(root)
    metadata.sign(signers["root"])
    data = metadata.to_bytes(JSONSerializer(compact=False))
    (keys / "1.root.json").write_bytes(data)
    (keys / "root.json").write_bytes(data)
    return keys / "root.json"


def _latest_root(keys: Path) -> Metadata[Root]:
    try:
        return Metadata[Root].from_bytes((keys / "root.json").read_bytes())
    except (OSError, ValueError) as e:
        raise WatchlistSourceInvalid("root.json missing from the keys folder") from e


def rotate_key(keys: Path, role: str, now: dt.datetime, expiry: Expiry | None = None) -> int:
    """Replace ``role``'s key: a new root version, signed by the old and the new root keys.

    Publish afterwards so the repository carries the new root and re-signed metadata.
    Returns the new root version.
    """
    if role not in ROLES:
        raise WatchlistSourceInvalid(f"unknown role {role}")
    expiry = expiry or Expiry()
    metadata = _latest_root(keys)
    root = metadata.signed
    old_root_signer = _signer(keys, "root")
    new = _new_signer()
    for keyid in list(root.roles[role].keyids):
        root.revoke_key(keyid, role)
    root.add_key(new.public_key, role)
    root.version += 1
    root.expires = _utc(now) + expiry.root
    metadata.signatures.clear()
    metadata.sign(old_root_signer, append=True)
    if role == "root":
        metadata.sign(new, append=True)
    _write_private(_key_path(keys, role), new.private_bytes)
    data = metadata.to_bytes(JSONSerializer(compact=False))
    (keys / f"{root.version}.root.json").write_bytes(data)
    (keys / "root.json").write_bytes(data)
    return root.version


# Publishing


def _write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def _load_state(repo: Path) -> dict[str, object]:
    try:
        loaded = json.loads((repo / STATE).read_text())
    except FileNotFoundError:
        return {"version": 0, "snapshots": {}, "targets_version": 0}
    except (OSError, ValueError) as e:
        raise WatchlistSourceInvalid("publisher state of the repository unreadable") from e
    return dict(loaded)


def publish(
    source: Path,
    repo: Path,
    keys: Path,
    now: dt.datetime,
    *,
    delta_depth: int = 3,
    expiry: Expiry | None = None,
    enrich: Callable[[dict[RecordKey, Record]], object] | None = None,
) -> PublishResult:
    """Build the next watchlist version from ``source`` and publish it, signed, in ``repo``.

    Deltas are made against each of the last ``delta_depth`` versions, so a workstation a
    few versions behind still downloads only changes. Files are written before the
    metadata that names them and ``timestamp.json`` last, so a client reading the folder
    mid-publication sees either the old or the new version, never a mixture.

    :param enrich: called with the records read from ``source`` before they are encoded,
        e.g. :func:`workstation.watchlist_biometrics.add_templates` to ship templates.
    """
    expiry = expiry or Expiry()
    records = load_source(source)
    if enrich is not None:
        enrich(records)
    state = _load_state(repo)
    previous = int(state["version"])  # type: ignore[call-overload]
    snapshots: dict[str, str] = dict(state["snapshots"])  # type: ignore[call-overload]
    version = previous + 1
    at = _utc(now)
    targets_dir = repo / "targets"
    metadata_dir = repo / "metadata"
    metadata_dir.mkdir(parents=True, exist_ok=True)

    # Every root version known to the keys folder goes to the repository (rotation chain).
    for path in sorted(keys.glob("[0-9]*.root.json")):
        destination = metadata_dir / path.name
        if not destination.exists():
            _write_atomic(destination, path.read_bytes())

    def add_target(name: str, data: bytes) -> TargetFile:
        info = TargetFile.from_data(name, data, ["sha256"])
        directory, _, base = name.rpartition("/")
        _write_atomic(targets_dir / directory / f"{info.hashes['sha256']}.{base}", data)
        return info

    files: dict[str, TargetFile] = {}
    snapshot_name = f"watchlist/snapshot-{version}.jsonl.gz"
    files[snapshot_name] = add_target(snapshot_name, encode_snapshot(version, at, records))
    deltas: dict[int, str] = {}
    for base in range(previous, max(previous - delta_depth, 0), -1):
        stored = snapshots.get(str(base))
        if stored is None:
            continue
        old = snapshot_records((targets_dir / stored).read_bytes())
        name = f"watchlist/delta-{base}-{version}.jsonl.gz"
        files[name] = add_target(name, encode_delta(version, base, at, old, records))
        deltas[base] = name
    counts = {t: n for t, n in _counts(records).items()}
    index = {
        "version": version,
        "published_at": at.isoformat(),
        "snapshot": snapshot_name,
        "deltas": {str(b): n for b, n in deltas.items()},
        "counts": counts,
    }
    files[INDEX] = add_target(INDEX, json.dumps(index, sort_keys=True).encode())

    targets_version = int(state.get("targets_version", 0)) + 1  # type: ignore[call-overload]
    targets = Metadata(Targets(version=targets_version, expires=at + expiry.targets))
    targets.signed.targets = files
    targets.sign(_signer(keys, "targets"))
    serializer = JSONSerializer(compact=False)
    _write_atomic(metadata_dir / f"{targets_version}.targets.json", targets.to_bytes(serializer))
    snapshot = Metadata(
        Snapshot(
            version=targets_version,
            expires=at + expiry.snapshot,
            meta={"targets.json": MetaFile(version=targets_version)},
        )
    )
    snapshot.sign(_signer(keys, "snapshot"))
    _write_atomic(metadata_dir / f"{targets_version}.snapshot.json", snapshot.to_bytes(serializer))
    timestamp = Metadata(
        Timestamp(
            version=targets_version,
            expires=at + expiry.timestamp,
            snapshot_meta=MetaFile(version=targets_version),
        )
    )
    timestamp.sign(_signer(keys, "timestamp"))
    _write_atomic(metadata_dir / "timestamp.json", timestamp.to_bytes(serializer))

    stored_name = files[snapshot_name].hashes["sha256"] + f".snapshot-{version}.jsonl.gz"
    snapshots[str(version)] = f"watchlist/{stored_name}"
    _write_atomic(
        repo / STATE,
        json.dumps(
            {"version": version, "snapshots": snapshots, "targets_version": targets_version}
        ).encode(),
    )
    return PublishResult(version, snapshot_name, deltas, counts)


def _counts(records: dict[tuple[str, str], dict[str, object]]) -> dict[str, int]:
    from workstation.watchlist_source import count_records

    return count_records(records)


# Fetching


class FolderFetcher(FetcherInterface):
    """Reads ``file://`` URLs: a repository on removable media or a network share."""

    def _fetch(self, url: str) -> Iterator[bytes]:
        path = Path(unquote(urlparse(url).path))
        try:
            data = path.read_bytes()
        except FileNotFoundError as e:
            raise tuf_errors.DownloadHTTPError("not found", 404) from e
        return iter([data])


@dataclass(frozen=True)
class FetchedUpdate:
    """A verified bundle. ``kind`` is ``snapshot`` or ``delta``."""

    version: int
    kind: str
    data: bytes
    published_at: dt.datetime


def _base_url(url_or_dir: str) -> tuple[str, FetcherInterface | None]:
    if "://" in url_or_dir and not url_or_dir.startswith("file://"):
        return url_or_dir.rstrip("/") + "/", None
    path = Path(url_or_dir.removeprefix("file://")).resolve()
    if not path.is_dir():
        raise WatchlistUnavailable("repository folder not found")
    return path.as_uri() + "/", FolderFetcher()


def fetch_update(
    url_or_dir: str, trust_dir: Path, current_version: int, root: bytes | None = None
) -> FetchedUpdate | None:
    """Run the TUF client workflow and download what brings us past ``current_version``.

    :param trust_dir: the workstation's trusted metadata (created on first use).
    :param root: trusted root metadata; needed only when ``trust_dir`` has none yet.
    :returns: ``None`` when the workstation already has the newest version.
    :raises WatchlistNotBootstrapped: first fetch without ``root``.
    :raises WatchlistExpired: the repository's metadata has expired (freeze attack, or a
        publisher that stopped re-signing).
    :raises WatchlistUntrusted: any other verification failure, including a repository
        offering a version older than ``current_version``.
    :raises WatchlistUnavailable: the repository cannot be reached or read.
    """
    base, fetcher = _base_url(url_or_dir)
    trust_dir.mkdir(parents=True, exist_ok=True)
    stored = (trust_dir / "root.json").exists()
    if not stored and root is None:
        raise WatchlistNotBootstrapped("no trusted root stored; give --root for the first sync")
    with tempfile.TemporaryDirectory(prefix="sekisho-wl-") as download_dir:
        try:
            updater = Updater(
                metadata_dir=str(trust_dir),
                metadata_base_url=base + "metadata/",
                target_dir=download_dir,
                target_base_url=base + "targets/",
                fetcher=fetcher,
                bootstrap=None if stored else root,
            )
            updater.refresh()
            index_info = updater.get_targetinfo(INDEX)
            if index_info is None:
                raise WatchlistUntrusted("repository has no watchlist index")
            index = json.loads(Path(updater.download_target(index_info)).read_bytes())
            version = int(index["version"])
            if version < current_version:
                raise WatchlistUntrusted(
                    f"repository offers version {version}, older than applied {current_version}"
                )
            if version == current_version:
                return None
            delta = index.get("deltas", {}).get(str(current_version))
            name, kind = (
                (delta, "delta") if delta and current_version else (index["snapshot"], "snapshot")
            )
            info = updater.get_targetinfo(name)
            if info is None:
                raise WatchlistUntrusted("watchlist index names a file the targets do not list")
            data = Path(updater.download_target(info)).read_bytes()
        except tuf_errors.ExpiredMetadataError as e:
            raise WatchlistExpired(f"repository metadata expired: {e}") from e
        except tuf_errors.RepositoryError as e:
            raise WatchlistUntrusted(f"{type(e).__name__}: {e}") from e
        except tuf_errors.DownloadError as e:
            raise WatchlistUnavailable(f"{type(e).__name__}: {e}") from e
        except OSError as e:
            raise WatchlistUnavailable(f"{type(e).__name__}") from e
        except (KeyError, ValueError, TypeError) as e:
            raise WatchlistUntrusted("watchlist index malformed") from e
    return FetchedUpdate(version, kind, data, dt.datetime.fromisoformat(index["published_at"]))


def sync(
    db: Database, clock: Clock, url_or_dir: str, trust_dir: Path, root: bytes | None = None
) -> ApplyResult | None:
    """Fetch (TUF-verified) and apply the newest watchlist; ``None`` when already current.

    A delta that no longer fits (the base moved under us) falls back to the snapshot.
    """
    from db.watchlist_sync import apply_bundle, cleanup, current_version

    cleanup(db)
    applied = current_version(db)
    update = fetch_update(url_or_dir, trust_dir, applied, root)
    if update is None:
        return None
    try:
        return apply_bundle(db, update.data, clock, url_or_dir)
    except WatchlistApplyFailed:
        if update.kind != "delta":
            raise
        snapshot = fetch_update(url_or_dir, trust_dir, 0, None)
        if snapshot is None:  # pragma: no cover - version 0 is never current
            raise
        return apply_bundle(db, snapshot.data, clock, url_or_dir)
