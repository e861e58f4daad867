"""An SBI 0.9.5 finger device double: a real HTTP service on 127.0.0.1, for tests and training.

It speaks the same protocol as a registration-class finger device (MOSIPDISC, MOSIPDINFO,
RCAPTURE, STREAM, plus CORS ``OPTIONS`` and ``GET /``), signs with its own device key under a
generated device-provider CA (pass :attr:`SbiDeviceDouble.trust_root_pem` to the client), and
serves finger images from a folder as ISO/IEC 19794-4 records.

Admin endpoints, after the MOSIP mock: ``POST /admin/status`` ``{deviceStatus}``,
``/admin/score`` ``{qualityScore}``, ``/admin/delay`` ``{delay, method[]}`` (milliseconds),
``/admin/profile`` ``{profileId}`` (a sub-folder of images, ``Default`` = the folder itself),
``/admin/fault`` ``{fault, enabled}`` and ``/admin/reset``. Faults: see :class:`Fault`.

Run it by hand: ``python -m devices.fingerprint.sbi_double FOLDER``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import logging
import socket
import threading
import time
from dataclasses import dataclass, field
from enum import Enum, unique
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from devices.fingerprint import images
from devices.fingerprint.fake import synthetic_finger
from devices.fingerprint.sbi import jws
from devices.fingerprint.sbi.base import BIO_SUBTYPE, FINGER_OF, SBI_PORTS, slap_of
from workstation.captures import Finger

logger = logging.getLogger(__name__)

_IMAGE_SUFFIXES = {".png", ".tif", ".tiff", ".bmp", ".jpg", ".jpeg", ".pgm"}
_SLAP_FINGERS = {
    1: [Finger.LEFT_INDEX, Finger.LEFT_MIDDLE, Finger.LEFT_RING, Finger.LEFT_LITTLE],
    2: [Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE, Finger.RIGHT_RING, Finger.RIGHT_LITTLE],
    3: [Finger.LEFT_THUMB, Finger.RIGHT_THUMB],
}


@unique
class Fault(Enum):
    """Injectable faults."""

    BAD_SIGNATURE = "bad_signature"
    EXPIRED_CERTIFICATE = "expired_certificate"
    UNREGISTERED = "unregistered"
    WRONG_TRANSACTION_ID = "wrong_transaction_id"
    WRONG_SPEC_VERSION = "wrong_spec_version"
    STALE_TIMESTAMP = "stale_timestamp"
    FEWER_FINGERS = "fewer_fingers"
    BAD_HASH = "bad_hash"
    TAMPER = "tamper"
    BUSY = "busy"
    STALLED_STREAM = "stalled_stream"
    GONE_MID_CAPTURE = "gone_mid_capture"


def _name(common: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common)])


def _certificate(
    subject: str,
    key: rsa.RSAPrivateKey,
    issuer: str,
    issuer_key: rsa.RSAPrivateKey,
    ca: bool,
    not_before: dt.datetime,
    not_after: dt.datetime,
) -> x509.Certificate:
    return (
        x509.CertificateBuilder()
        .subject_name(_name(subject))
        .issuer_name(_name(issuer))
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
        .sign(issuer_key, hashes.SHA256())
    )


@dataclass
class DoubleState:
    """Everything the admin endpoints change."""

    status: str = "Ready"
    quality: int = 44
    delays_ms: dict[str, int] = field(default_factory=dict)
    profile: str = "Default"
    faults: set[Fault] = field(default_factory=set)
    capturing: bool = False
    gone: bool = False


class SbiDeviceDouble:
    """A simulated SBI 0.9.5 finger device (slap by default).

    :param folder: images to serve (cycled by finger position); ``None`` draws synthetic ridges.
    :param ports: where to bind: the first free port is used.
    :param sub_type: ``Slap`` (sub IDs 1, 2, 3) or ``Single`` (sub ID 0).
    :param serial: the device serial number (at least 12 characters on a real label).
    """

    def __init__(
        self,
        folder: Path | None = None,
        ports: range | list[int] = SBI_PORTS,
        sub_type: str = "Slap",
        serial: str = "SKS-DOUBLE-000001",
    ) -> None:
        self.folder = folder
        self.sub_type = sub_type
        self.serial = serial
        self.state = DoubleState()
        self.lock = threading.Lock()
        now = dt.datetime.now(dt.UTC)
        self._ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ca = _certificate(
            "Sekisho SBI double provider CA",
            self._ca_key,
            "Sekisho SBI double provider CA",
            self._ca_key,
            True,
            now - dt.timedelta(days=1),
            now + dt.timedelta(days=3650),
        )
        self._key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.cert = _certificate(
            f"device {serial}",
            self._key,
            "Sekisho SBI double provider CA",
            self._ca_key,
            False,
            now - dt.timedelta(days=1),
            now + dt.timedelta(days=30),
        )
        self._expired = _certificate(
            f"device {serial}",
            self._key,
            "Sekisho SBI double provider CA",
            self._ca_key,
            False,
            now - dt.timedelta(days=60),
            now - dt.timedelta(days=30),
        )
        self._rogue_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._server = self._bind(list(ports))
        self._thread: threading.Thread | None = None
        self._closing = threading.Event()

    # lifecycle

    def _bind(self, ports: list[int]) -> ThreadingHTTPServer:
        handler = type("Handler", (_Handler,), {"double": self})
        for port in ports:
            try:
                server = ThreadingHTTPServer(("127.0.0.1", port), handler)
            except OSError:
                continue
            server.daemon_threads = True
            return server
        raise OSError("no free port for the SBI double")

    @property
    def port(self) -> int:
        return int(self._server.server_address[1])

    @property
    def trust_root_pem(self) -> bytes:
        """The device-provider CA certificate the client must trust."""
        return self.ca.public_bytes(serialization.Encoding.PEM)

    def start(self) -> SbiDeviceDouble:
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"sbi-double-{self.port}",
            daemon=True,
        )
        self._thread.start()
        logger.info("SBI double listening on 127.0.0.1:%d", self.port)
        return self

    def stop(self) -> None:
        self._closing.set()
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def __enter__(self) -> SbiDeviceDouble:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # admin (also reachable over HTTP)

    def set_fault(self, fault: Fault | str, enabled: bool = True) -> None:
        f = Fault(fault)
        with self.lock:
            (self.state.faults.add if enabled else self.state.faults.discard)(f)

    def has(self, fault: Fault) -> bool:
        with self.lock:
            return fault in self.state.faults

    def reset(self) -> None:
        with self.lock:
            self.state = DoubleState()

    # protocol helpers

    def _sign(self, payload: Any) -> str:
        if self.has(Fault.UNREGISTERED):
            return jws.b64url_encode(json.dumps(payload).encode())
        chain = [self._expired if self.has(Fault.EXPIRED_CERTIFICATE) else self.cert, self.ca]
        key = self._rogue_key if self.has(Fault.BAD_SIGNATURE) else self._key
        return jws.sign(payload, key, chain)

    def _timestamp(self) -> str:
        now = dt.datetime.now(dt.UTC)
        if self.has(Fault.STALE_TIMESTAMP):
            now -= dt.timedelta(minutes=20)
        return now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z"

    def digital_id(self) -> str:
        return self._sign(
            {
                "serialNo": self.serial,
                "make": "Sekisho",
                "model": "SBI double",
                "type": "Finger",
                "deviceSubType": self.sub_type,
                "deviceProvider": "Sekisho developers",
                "deviceProviderId": "SEKISHO",
                "dateTime": self._timestamp(),
            }
        )

    def sub_ids(self) -> list[int]:
        return [1, 2, 3] if self.sub_type == "Slap" else [0]

    def discovery_item(self) -> dict[str, Any]:
        registered = not self.has(Fault.UNREGISTERED)
        with self.lock:
            status = self.state.status
        return {
            "deviceId": "1",
            "deviceStatus": status if registered else "Not Registered",
            "certification": "L0",
            "serviceVersion": "1.0",
            "deviceSubId": self.sub_ids(),
            "callbackId": f"http://127.0.0.1:{self.port}/",
            "digitalId": jws.b64url_encode(
                json.dumps(jws.unverified_payload(self.digital_id())).encode()
            ),
            "deviceCode": self.serial,
            "specVersion": ["0.9.5"],
            "purpose": "Registration" if registered else "",
            "error": {"errorCode": "0" if registered else "100", "errorInfo": ""},
        }

    def device_info(self) -> list[dict[str, Any]]:
        item = self.discovery_item()
        payload = {
            **{k: v for k, v in item.items() if k != "error"},
            "firmware": "1.0.0",
            "env": "Developer",
            "digitalId": self.digital_id(),
        }
        return [{"deviceInfo": self._sign(payload), "error": item["error"]}]

    def finger_image(self, finger: Finger) -> bytes:
        folder = self.folder
        with self.lock:
            profile = self.state.profile
        if folder is not None and profile not in ("", "Default"):
            folder = folder / profile
        files = (
            sorted(p for p in folder.iterdir() if p.suffix.lower() in _IMAGE_SUFFIXES)
            if folder is not None and folder.is_dir()
            else []
        )
        if not files:
            return synthetic_finger(finger)
        return files[(finger.value - 1) % len(files)].read_bytes()

    def delay(self, method: str) -> None:
        with self.lock:
            ms = self.state.delays_ms.get(method, 0)
        if ms:
            self._closing.wait(ms / 1000)

    def rcapture(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The RCAPTURE reply, or ``None`` when the device vanishes mid-capture."""

        def error(code: int, info: str) -> dict[str, Any]:
            return {
                "biometrics": [
                    {
                        "specVersion": "0.9.5",
                        "data": "",
                        "hash": "",
                        "error": {"errorCode": str(code), "errorInfo": info},
                    }
                ]
            }

        if self.has(Fault.UNREGISTERED):
            return error(100, "Device not registered")
        if self.has(Fault.TAMPER):
            return error(103, "Device tamper detected")
        with self.lock:
            busy = self.state.capturing or self.state.status == "Busy"
            if not busy:
                self.state.capturing = True
        if busy or self.has(Fault.BUSY):
            if not busy:
                with self.lock:
                    self.state.capturing = False
            return error(111, "Device busy")
        try:
            self.delay("RCAPTURE")
            if self.has(Fault.GONE_MID_CAPTURE):
                with self.lock:
                    self.state.gone = True
                return None
            return self._records(request)
        finally:
            with self.lock:
                self.state.capturing = False

    def _records(self, request: dict[str, Any]) -> dict[str, Any]:
        transaction_id = str(request.get("transactionId", ""))
        if not (4 <= len(transaction_id) <= 50) or not all(
            c.isalnum() or c == "-" for c in transaction_id
        ):
            return {
                "biometrics": [
                    {
                        "specVersion": "0.9.5",
                        "data": "",
                        "hash": "",
                        "error": {"errorCode": "112", "errorInfo": "Invalid transactionId"},
                    }
                ]
            }
        bio = (request.get("bio") or [{}])[0]
        sub_id = int(bio.get("deviceSubId", 0) or 0)
        exceptions = {FINGER_OF.get(e) for e in bio.get("exception") or ()}
        asked = [FINGER_OF.get(s) for s in bio.get("bioSubType") or ()]
        fingers = [f for f in asked if f is not None] or _SLAP_FINGERS.get(sub_id, [])
        fingers = [
            f for f in fingers if f not in exceptions and (sub_id == 0 or slap_of(f) == sub_id)
        ]
        if self.has(Fault.FEWER_FINGERS) and fingers:
            fingers = fingers[:-1] if len(fingers) > 1 else []
        previous = str(bio.get("previousHash") or "")
        chain = bytes.fromhex(previous) if previous else hashlib.sha256(b"").digest()
        with self.lock:
            quality = self.state.quality
        spec = "0.9.4" if self.has(Fault.WRONG_SPEC_VERSION) else "0.9.5"
        echoed = "transactionId" if self.has(Fault.WRONG_TRANSACTION_ID) else transaction_id
        out = []
        for finger in fingers:
            record = images.png_record(self.finger_image(finger), finger.value, quality)
            chain = hashlib.sha256(chain + hashlib.sha256(record).digest()).digest()
            digest = chain.hex().upper()
            if self.has(Fault.BAD_HASH):
                digest = hashlib.sha256(digest.encode()).hexdigest().upper()
            payload = {
                "digitalId": self.digital_id(),
                "deviceCode": self.serial,
                "deviceServiceVersion": "1.0",
                "bioType": "Finger",
                "bioSubType": BIO_SUBTYPE[finger],
                "purpose": "Registration",
                "env": str(request.get("env", "Developer")),
                "bioValue": jws.b64url_encode(record),
                "transactionId": echoed,
                "timestamp": self._timestamp(),
                "requestedScore": bio.get("requestedScore", 0),
                "qualityScore": quality,
            }
            out.append(
                {
                    "specVersion": spec,
                    "data": self._sign(payload),
                    "hash": digest,
                    "error": {"errorCode": "0", "errorInfo": "Success"},
                }
            )
        return {"biometrics": out}

    def stream_frames(self, sub_id: int) -> bytes:
        finger = (_SLAP_FINGERS.get(sub_id) or [Finger.RIGHT_INDEX])[0]
        grey = images.to_grey(self.finger_image(finger))
        grey.thumbnail((320, 320))
        return images.encode(grey, "JPEG", 70)


class _Handler(BaseHTTPRequestHandler):
    double: SbiDeviceDouble
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        logger.debug("SBI double: " + format, *args)

    def _body(self) -> Any:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            return json.loads(raw) if raw else {}
        except json.JSONDecodeError:
            return {}

    def _send(self, payload: Any, status: int = 200) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(data)
        self.close_connection = True

    def _vanished(self) -> bool:
        with self.double.lock:
            gone = self.double.state.gone
        if gone:
            self.close_connection = True
            try:
                self.connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
        return gone

    def do_MOSIPDISC(self) -> None:  # noqa: N802 - HTTP method names
        if self._vanished():
            return
        body = self._body()
        kind = str(body.get("type", "")) if isinstance(body, dict) else ""
        self.double.delay("MOSIPDISC")
        if kind in ("Biometric Device", "Finger"):
            self._send([self.double.discovery_item()])
        else:
            self._send([])

    def do_MOSIPDINFO(self) -> None:  # noqa: N802
        if self._vanished():
            return
        self._body()
        self.double.delay("MOSIPDINFO")
        self._send(self.double.device_info())

    def do_RCAPTURE(self) -> None:  # noqa: N802
        if self._vanished():
            return
        body = self._body()
        reply = self.double.rcapture(body if isinstance(body, dict) else {})
        if reply is None:
            self._vanished()
            return
        self._send(reply)

    def do_CAPTURE(self) -> None:  # noqa: N802
        if self._vanished():
            return
        self._body()
        # authentication capture needs a MOSIP domain key; this is a registration device
        self._send(
            {
                "biometrics": [
                    {
                        "specVersion": "0.9.5",
                        "data": "",
                        "hash": "",
                        "error": {"errorCode": "108", "errorInfo": "Domain key missing"},
                    }
                ]
            }
        )

    def do_STREAM(self) -> None:  # noqa: N802
        if self._vanished():
            return
        body = self._body()
        sub_id = int(body.get("deviceSubId", 1) or 0) if isinstance(body, dict) else 1
        timeout = (
            float(body.get("timeout", 300_000) or 300_000) / 1000
            if isinstance(body, dict)
            else 300.0
        )
        self.send_response(200)
        self.send_header("Content-Type", "multipart/x-mixed-replace; boundary=--BoundaryString")
        self.send_header("Cache-Control", "no-store")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        frame = self.double.stream_frames(sub_id)
        end = time.monotonic() + timeout
        sent = 0
        closing = self.double._closing
        while time.monotonic() < end and not closing.is_set():
            with self.double.lock:
                paused = self.double.state.capturing
                gone = self.double.state.gone
            if gone:
                break
            stalled = self.double.has(Fault.STALLED_STREAM) and sent >= 1
            if not paused and not stalled:
                part = (
                    b"--BoundaryString\r\nContent-Type: image/jpeg\r\n"
                    + f"Content-Length: {len(frame)}\r\n\r\n".encode()
                    + frame
                    + b"\r\n"
                )
                try:
                    self.wfile.write(part)
                    self.wfile.flush()
                except OSError:
                    return
                sent += 1
            closing.wait(0.2)  # 5 frames per second

    def do_OPTIONS(self) -> None:  # noqa: N802
        self.send_response(200)
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header(
            "Access-Control-Allow-Methods", "MOSIPDISC, MOSIPDINFO, CAPTURE, RCAPTURE, STREAM"
        )
        self.send_header("Content-Length", "0")
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True

    def do_GET(self) -> None:  # noqa: N802
        if self._vanished():
            return
        self._send([self.double.discovery_item()])

    def do_POST(self) -> None:  # noqa: N802
        body = self._body()
        body = body if isinstance(body, dict) else {}
        d = self.double
        path = self.path.rstrip("/")
        if path == "":
            if not self._vanished():
                self._send([d.discovery_item()])
            return
        try:
            if path == "/admin/status":
                with d.lock:
                    d.state.status = str(body["deviceStatus"])
            elif path == "/admin/score":
                with d.lock:
                    d.state.quality = max(0, min(100, int(body["qualityScore"])))
            elif path == "/admin/delay":
                methods = body.get("method") or ["RCAPTURE"]
                with d.lock:
                    for m in methods:
                        d.state.delays_ms[str(m)] = int(body["delay"])
            elif path == "/admin/profile":
                with d.lock:
                    d.state.profile = str(body["profileId"])
            elif path == "/admin/fault":
                d.set_fault(str(body["fault"]), bool(body.get("enabled", True)))
            elif path == "/admin/reset":
                d.reset()
            else:
                self._send({"errorCode": "501", "errorInfo": "unknown admin endpoint"}, 404)
                return
        except (KeyError, ValueError, TypeError):
            self._send({"errorCode": "502", "errorInfo": "invalid admin request"}, 400)
            return
        self._send({"errorCode": "0", "errorInfo": "Success"})


def main(argv: list[str] | None = None) -> int:
    """Run the double until interrupted (training mode, manual testing)."""
    parser = argparse.ArgumentParser(description="Sekisho SBI 0.9.5 finger device double")
    parser.add_argument("folder", nargs="?", type=Path, help="finger images to serve")
    parser.add_argument("--trust-root", type=Path, help="write the CA certificate (PEM) here")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO)
    with SbiDeviceDouble(args.folder) as double:
        if args.trust_root:
            args.trust_root.write_bytes(double.trust_root_pem)
        print(f"SBI double on 127.0.0.1:{double.port}; Ctrl-C to stop")
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
