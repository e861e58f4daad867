"""MOSIP SBI client: discovery, device info, RCAPTURE and the STREAM preview.

Every reply is checked the way the specification notes require (``docs/specs/sbi.md`` §3.4):
JWS signatures and certificate chains against configured trust roots, transaction ID, spec
version and purpose echoed, quality present and numeric, capture timestamps within a window
of the host clock, exactly the requested fingers returned (requested minus exceptions), and
the hash chain recomputed and kept. Errors are the core's, with SBI-specific codes
(:mod:`devices.fingerprint.sbi.base`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import http.client
import json
import logging
import secrets
import socket
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from cryptography import x509

from devices.fingerprint.sbi import jws
from devices.fingerprint.sbi.base import (
    BIO_SUBTYPE,
    FINGER_OF,
    HOST,
    SBI_PORTS,
    TRAFFIC,
    SbiCapture,
    SbiClockSkew,
    SbiDevice,
    SbiIncomplete,
    SbiNotRegistered,
    SbiProtocolError,
    SbiRecord,
    SbiStreamStalled,
    SbiUntrusted,
    error_for,
    slap_of,
)
from devices.fingerprint.sbi.versions import SbiVersionAdapter, negotiate
from workstation.captures import Finger
from workstation.errors import CaptureCancelled, CaptureFailed, DeviceBusy, DeviceUnavailable
from workstation.ports import Clock, SystemClock

logger = logging.getLogger(__name__)

EMPTY_HASH = hashlib.sha256(b"").hexdigest().upper()
"""The first ``previousHash`` of a transaction: SHA-256 of the empty string."""


def chain_hash(previous_hash: str, bio_value: bytes) -> str:
    """Next hash-chain value: SHA-256(previous hash bytes ‖ SHA-256(record)), uppercase hex."""
    previous = bytes.fromhex(previous_hash) if previous_hash else bytes.fromhex(EMPTY_HASH)
    return hashlib.sha256(previous + hashlib.sha256(bio_value).digest()).hexdigest().upper()


def new_transaction_id() -> str:
    """A fresh transaction ID (letters, digits and ``-``; 4-50 characters)."""
    return "SKS-" + secrets.token_hex(12)


def parse_timestamp(text: str) -> dt.datetime:
    """An SBI ISO 8601 timestamp as an aware UTC datetime.

    :raises SbiProtocolError: not ISO 8601.
    """
    try:
        value = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except (ValueError, AttributeError) as e:
        raise SbiProtocolError("timestamp is not ISO 8601") from e
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def format_timestamp(value: dt.datetime) -> str:
    return (
        value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.")
        + f"{value.microsecond // 1000:03d}Z"
    )


@dataclass(frozen=True)
class SbiTimeouts:
    """Client-side timeouts per method, in seconds (MOSIP: 5 s info, 40 s RCAPTURE).

    :param stream_stall: longest gap between preview frames before the stream counts as stalled.
    """

    discovery: float = 2.0
    info: float = 5.0
    capture_margin: float = 10.0
    stream_stall: float = 3.0


@dataclass(frozen=True)
class SbiTrust:
    """Trust roots per domain: ``device`` for device info and capture data (and, in 0.9.5, the
    digital ID); ``ftm`` for the digital ID from SBI 1.0 on."""

    device: tuple[x509.Certificate, ...]
    ftm: tuple[x509.Certificate, ...] = ()

    @classmethod
    def from_pem(cls, device: Sequence[bytes], ftm: Sequence[bytes] = ()) -> SbiTrust:
        """Load trust roots from PEM certificates."""
        return cls(
            tuple(x509.load_pem_x509_certificate(p) for p in device),
            tuple(x509.load_pem_x509_certificate(p) for p in ftm),
        )


class SbiClient:
    """Talks to SBI services on this host.

    :param trust: trust roots.
    :param clock: the host clock (for the timestamp window and certificate validity).
    :param ports: ports to probe (default 4501-4600).
    :param allowed_skew: largest accepted distance between device and host time.
    :param busy_retries: RCAPTURE retries while the device answers Busy (111), with backoff.
    """

    def __init__(
        self,
        trust: SbiTrust,
        clock: Clock | None = None,
        ports: Sequence[int] = SBI_PORTS,
        timeouts: SbiTimeouts | None = None,
        allowed_skew: dt.timedelta = dt.timedelta(minutes=5),
        busy_retries: int = 2,
    ) -> None:
        self.trust = trust
        self.clock = clock or SystemClock()
        self.ports = tuple(ports)
        self.timeouts = timeouts or SbiTimeouts()
        self.allowed_skew = allowed_skew
        self.busy_retries = busy_retries
        self._used_transactions: set[str] = set()
        self._lock = threading.Lock()

    # transport

    def _call(self, port: int, method: str, path: str, body: Any, timeout: float) -> Any:
        data = b"" if body is None else json.dumps(body).encode()
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        try:
            logger.log(TRAFFIC, "SBI %s %s on port %d", method, path, port)
            conn.request(method, path, body=data, headers={"Content-Type": "application/json"})
            response = conn.getresponse()
            raw = response.read()
        except (TimeoutError, ConnectionError, http.client.HTTPException, OSError) as e:
            raise DeviceUnavailable(f"SBI service on port {port} did not answer {method}") from e
        finally:
            conn.close()
        try:
            return json.loads(raw)
        except json.JSONDecodeError as e:
            raise SbiProtocolError(f"{method} reply is not JSON") from e

    def _now(self) -> dt.datetime:
        return self.clock.now().astimezone(dt.UTC)

    # discovery and info

    def discover(self, stop: threading.Event | None = None) -> list[SbiDevice]:
        """Probe the port range in parallel; verified finger devices, ordered by port.

        Never raises because nothing answers: an empty list means no device.
        """

        def probe(port: int) -> list[SbiDevice]:
            if stop is not None and stop.is_set():
                return []
            try:
                return self.device_info(port)
            except (DeviceUnavailable, CaptureFailed) as e:
                if not isinstance(e, DeviceUnavailable) or isinstance(e, SbiNotRegistered):
                    logger.warning("SBI service on port %d rejected: %s", port, e.code)
                return []

        with ThreadPoolExecutor(max_workers=16) as pool:
            found = [d for batch in pool.map(probe, self.ports) for d in batch]
        return sorted(found, key=lambda d: d.port)

    def device_info(self, port: int) -> list[SbiDevice]:
        """MOSIPDINFO on one port: the verified finger devices it serves.

        :raises DeviceUnavailable: nothing answers there.
        :raises SbiNotRegistered: the device info is unsigned (error 100).
        :raises SbiUntrusted: a signature or certificate chain fails.
        """
        reply = self._call(port, "MOSIPDINFO", "/info", None, self.timeouts.info)
        if not isinstance(reply, list):
            raise SbiProtocolError("device info reply is not a list")
        devices: list[SbiDevice] = []
        for item in reply:
            if not isinstance(item, dict):
                raise SbiProtocolError("device info item is not an object")
            error = item.get("error") or {}
            code = int(error.get("errorCode", 0) or 0)
            token = item.get("deviceInfo", "")
            if code == 100 or (isinstance(token, str) and token.count(".") != 2):
                raise SbiNotRegistered(f"device on port {port} is not registered")
            if code:
                raise error_for(code, str(error.get("errorInfo", "")))
            info = self._verify(token, self.trust.device).payload
            if not isinstance(info, dict):
                raise SbiProtocolError("device info payload is not an object")
            versions = tuple(str(v) for v in info.get("specVersion") or ())
            adapter = negotiate(versions)
            if adapter is None:
                logger.warning("SBI device on port %d speaks no supported version", port)
                continue
            digital = self._verify_digital_id(info.get("digitalId", ""), adapter)
            if str(digital.get("type", "")) != "Finger":
                continue
            devices.append(
                SbiDevice(
                    port=port,
                    device_id=str(info.get("deviceId", "")),
                    status=str(info.get("deviceStatus", "")),
                    certification=str(info.get("certification", "")),
                    purpose=str(info.get("purpose", "")),
                    sub_ids=tuple(int(s) for s in info.get("deviceSubId") or ()),
                    spec_versions=versions,
                    spec_version=adapter.version,
                    device_code=str(info.get("deviceCode", "")),
                    service_version=str(info.get("serviceVersion", "")),
                    firmware=str(info.get("firmware", "")),
                    env=str(info.get("env", "")),
                    digital_id=digital,
                )
            )
        return devices

    def _verify(self, token: Any, roots: Sequence[x509.Certificate]) -> jws.Verified:
        if not isinstance(token, str):
            raise SbiProtocolError("expected a JWS string")
        try:
            return jws.verify(token, roots, self._now())
        except jws.JwsError as e:
            raise SbiUntrusted(str(e)) from e

    def _verify_digital_id(self, token: Any, adapter: SbiVersionAdapter) -> dict[str, Any]:
        roots = self.trust.ftm if adapter.digital_id_domain == "FTM" else self.trust.device
        payload = self._verify(token, roots).payload
        if not isinstance(payload, dict):
            raise SbiProtocolError("digital ID payload is not an object")
        return payload

    # capture

    def rcapture(
        self,
        device: SbiDevice,
        fingers: Sequence[Finger],
        exceptions: Sequence[Finger] = (),
        requested_score: int = 40,
        timeout_ms: int = 10_000,
        previous_hash: str = EMPTY_HASH,
        stop: threading.Event | None = None,
    ) -> SbiCapture:
        """Registration capture of ``fingers`` on one slap (all on the same ``deviceSubId``).

        :param fingers: fingers asked for, including those declared as exceptions.
        :param exceptions: fingers the operator declared missing or injured.
        :param requested_score: quality at which the device may auto-capture (0-100).
        :param timeout_ms: the device-side capture timeout.
        :param previous_hash: the transaction's hash chain so far.
        :raises DeviceBusy: still Busy after the retries.
        """
        if not fingers:
            raise ValueError("no finger requested")
        slaps = {slap_of(f) for f in fingers}
        if len(slaps) != 1:
            raise ValueError("fingers of one RCAPTURE must be on the same slap")
        sub_id = slaps.pop().value if device.sub_ids != (0,) else 0
        adapter = negotiate(device.spec_versions)
        if adapter is None:
            raise SbiProtocolError("no common SBI version")
        expected = [f for f in fingers if f not in exceptions]
        delay = 0.5
        for attempt in range(self.busy_retries + 1):
            if stop is not None and stop.is_set():
                raise CaptureCancelled("fingerprint capture cancelled")
            transaction_id = new_transaction_id()
            request = adapter.rcapture_request(
                device,
                sub_id,
                [BIO_SUBTYPE[f] for f in fingers],
                [BIO_SUBTYPE[f] for f in exceptions],
                len(expected),
                requested_score,
                timeout_ms,
                transaction_id,
                previous_hash,
                format_timestamp(self._now()),
            )
            timeout = timeout_ms / 1000 + self.timeouts.capture_margin
            try:
                reply = self._call(device.port, "RCAPTURE", "/capture", request, timeout)
                return self._check_capture(
                    reply, adapter, transaction_id, expected, exceptions, previous_hash
                )
            except DeviceBusy:
                if attempt == self.busy_retries:
                    raise
                logger.info("SBI device busy; retrying in %.1f s", delay)
                if stop is not None and stop.wait(delay):
                    raise CaptureCancelled("fingerprint capture cancelled") from None
                if stop is None:
                    time.sleep(delay)
                delay *= 2
        raise DeviceBusy("SBI device busy")  # pragma: no cover - loop always returns or raises

    def _check_capture(
        self,
        reply: Any,
        adapter: SbiVersionAdapter,
        transaction_id: str,
        expected: Sequence[Finger],
        exceptions: Sequence[Finger],
        previous_hash: str,
    ) -> SbiCapture:
        items = reply.get("biometrics") if isinstance(reply, dict) else None
        if not isinstance(items, list):
            raise SbiProtocolError("RCAPTURE reply has no biometrics list")
        for item in items:
            error = (item or {}).get("error") or {}
            code = int(error.get("errorCode", 0) or 0)
            if code:
                raise error_for(code, str(error.get("errorInfo", "")))
        with self._lock:
            if transaction_id in self._used_transactions:
                raise SbiProtocolError("transaction ID reused")
            self._used_transactions.add(transaction_id)
        now = self._now()
        records: list[SbiRecord] = []
        chain = previous_hash
        for item in items:
            if str(item.get("specVersion", "")) != adapter.version:
                raise SbiProtocolError("spec version not echoed")
            payload = self._verify(item.get("data"), self.trust.device).payload
            if not isinstance(payload, dict):
                raise SbiProtocolError("capture payload is not an object")
            self._verify_digital_id(payload.get("digitalId", ""), adapter)
            if payload.get("transactionId") != transaction_id:
                raise SbiProtocolError("transaction ID not echoed")
            if str(payload.get("purpose", "")) != "Registration":
                raise SbiProtocolError("purpose not echoed")
            if str(payload.get("bioType", "")) != "Finger":
                raise SbiProtocolError("not a finger record")
            quality = payload.get("qualityScore")
            if isinstance(quality, str):
                try:
                    quality = float(quality)
                except ValueError:
                    quality = None
            if not isinstance(quality, int | float) or isinstance(quality, bool):
                raise SbiProtocolError("quality score missing or not numeric")
            stamp = parse_timestamp(str(payload.get("timestamp", "")))
            if abs(stamp - now) > self.allowed_skew:
                raise SbiClockSkew("capture timestamp outside the allowed window")
            try:
                bio_value = jws.b64url_decode(str(payload.get("bioValue", "")))
            except jws.JwsError as e:
                raise SbiProtocolError("bioValue is not base64url") from e
            if not bio_value:
                raise SbiProtocolError("empty bioValue")
            chain = chain_hash(chain, bio_value)
            reported = str(item.get("hash", "")).upper()
            if reported != chain:
                raise SbiUntrusted("hash chain does not verify")
            sub_type = str(payload.get("bioSubType", ""))
            records.append(
                SbiRecord(
                    FINGER_OF.get(sub_type),
                    sub_type,
                    bio_value,
                    float(quality),
                    float(payload.get("requestedScore") or 0),
                    stamp,
                    chain,
                )
            )
        if len(expected) == 1 and len(records) == 1 and records[0].finger is None:
            # a single-finger device may answer UNKNOWN; the request said which finger
            records[0] = dataclasses.replace(records[0], finger=expected[0])
        returned = sorted(r.finger.value for r in records if r.finger is not None)
        if len(records) != len(expected) or returned != sorted(f.value for f in expected):
            raise SbiIncomplete(
                f"asked for {len(expected)} finger(s), device returned {len(records)}"
            )
        return SbiCapture(transaction_id, tuple(records), tuple(exceptions), previous_hash, chain)

    # preview

    def stream(
        self,
        device: SbiDevice,
        sub_id: int,
        stop: threading.Event,
        timeout_ms: int = 300_000,
        on_frame: Callable[[bytes], None] | None = None,
    ) -> Iterator[bytes]:
        """Yield JPEG preview frames until ``stop`` is set.

        :raises SbiStreamStalled: no frame for ``timeouts.stream_stall`` seconds.
        :raises DeviceUnavailable: the service closed the stream or vanished.
        """
        adapter = negotiate(device.spec_versions)
        if adapter is None:
            raise SbiProtocolError("no common SBI version")
        body = json.dumps(adapter.stream_request(device, sub_id, timeout_ms)).encode()
        try:
            sock = socket.create_connection((HOST, device.port), timeout=self.timeouts.info)
        except OSError as e:
            raise DeviceUnavailable(f"SBI service on port {device.port} refused STREAM") from e
        try:
            try:
                sock.sendall(
                    b"STREAM /stream HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    b"Content-Type: application/json\r\n"
                    + f"Content-Length: {len(body)}\r\n\r\n".encode()
                    + body
                )
            except OSError as e:
                raise DeviceUnavailable("preview stream lost") from e
            sock.settimeout(0.2)
            reader = _StreamReader(sock, stop, self.timeouts.stream_stall)
            status = reader.line()
            if b" 200 " not in status + b" ":
                raise SbiProtocolError("STREAM refused")
            while reader.line():  # headers
                pass
            while not stop.is_set():
                frame = reader.part()
                if frame is None:
                    return
                if on_frame is not None:
                    on_frame(frame)
                yield frame
        finally:
            sock.close()


class _StreamReader:
    """Reads a multipart/x-mixed-replace body with a stall timer and a stop event."""

    def __init__(self, sock: socket.socket, stop: threading.Event, stall: float) -> None:
        self.sock, self.stop, self.stall = sock, stop, stall
        self.buffer = b""

    def _fill(self) -> bool:
        deadline = time.monotonic() + self.stall
        while not self.stop.is_set():
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                if time.monotonic() > deadline:
                    raise SbiStreamStalled("no preview frame within the stall limit") from None
                continue
            except OSError as e:
                raise DeviceUnavailable("preview stream lost") from e
            if not chunk:
                raise DeviceUnavailable("preview stream closed by the device")
            self.buffer += chunk
            return True
        return False

    def line(self) -> bytes:
        while b"\r\n" not in self.buffer:
            if not self._fill():
                return b""
        line, self.buffer = self.buffer.split(b"\r\n", 1)
        return line

    def part(self) -> bytes | None:
        length = None
        while True:
            line = self.line()
            if self.stop.is_set():
                return None
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":", 1)[1])
            elif line == b"" and length is not None:
                break
        while len(self.buffer) < length:
            if not self._fill():
                return None
        data, self.buffer = self.buffer[:length], self.buffer[length:]
        # MOSIP's client reads the JPEG from its first 0xFF byte
        start = data.find(b"\xff")
        return data[start:] if start >= 0 else data
