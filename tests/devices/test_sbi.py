"""SBI client against the SBI device double, over real loopback HTTP."""

from __future__ import annotations

import datetime as dt
import http.client
import io
import json
import threading
from collections.abc import Iterator

import pytest
from PIL import Image

from devices.fingerprint.sbi import (
    SbiClient,
    SbiFingerprintScanner,
    SbiTimeouts,
    SbiTrust,
    base,
    jws,
)
from devices.fingerprint.sbi.client import EMPTY_HASH, chain_hash, parse_timestamp
from devices.fingerprint.sbi.versions import negotiate
from devices.fingerprint.sbi_double import Fault, SbiDeviceDouble
from workstation.captures import Finger, FingerException
from workstation.errors import CaptureCancelled, CaptureFailed, DeviceBusy, DeviceUnavailable
from workstation.fingerprint import iso19794_4

# a slice of the SBI range, away from the start so a real service on 4501 is left alone
PORTS = range(4570, 4590)


@pytest.fixture(scope="module")
def double() -> Iterator[SbiDeviceDouble]:
    with SbiDeviceDouble(ports=PORTS) as d:
        yield d


@pytest.fixture
def sbi(double: SbiDeviceDouble) -> Iterator[SbiDeviceDouble]:
    double.reset()
    yield double
    double.reset()


def client_for(d: SbiDeviceDouble, **kwargs: object) -> SbiClient:
    return SbiClient(SbiTrust.from_pem([d.trust_root_pem]), ports=PORTS, **kwargs)  # type: ignore[arg-type]


def admin(d: SbiDeviceDouble, path: str, body: dict[str, object]) -> tuple[int, dict[str, object]]:
    conn = http.client.HTTPConnection("127.0.0.1", d.port, timeout=5)
    try:
        conn.request("POST", path, body=json.dumps(body))
        response = conn.getresponse()
        return response.status, json.loads(response.read())
    finally:
        conn.close()


def test_discovery_finds_the_verified_device(sbi: SbiDeviceDouble) -> None:
    devices = client_for(sbi).discover()
    assert len(devices) == 1
    device = devices[0]
    assert device.port == sbi.port
    assert device.spec_version == "0.9.5"
    assert device.status == "Ready"
    assert device.sub_ids == (1, 2, 3)
    assert device.digital_id["serialNo"] == sbi.serial
    assert "SBI double" in device.label


def test_untrusted_device_is_not_listed(sbi: SbiDeviceDouble) -> None:
    with SbiDeviceDouble(ports=PORTS) as other:
        # each client trusts one provider CA, and sees only that provider's device
        assert [d.port for d in client_for(other).discover()] == [other.port]
        assert [d.port for d in client_for(sbi).discover()] == [sbi.port]


def test_nothing_listening_means_empty_list() -> None:
    assert SbiClient(SbiTrust(()), ports=range(4598, 4601)).discover() == []


def test_discovery_verb_and_cors(sbi: SbiDeviceDouble) -> None:
    for kind, expected in [("Finger", 1), ("Biometric Device", 1), ("Iris", 0)]:
        conn = http.client.HTTPConnection("127.0.0.1", sbi.port, timeout=5)
        conn.request("MOSIPDISC", "/device", body=json.dumps({"type": kind}))
        response = conn.getresponse()
        assert response.getheader("Cache-Control") == "no-store"
        assert len(json.loads(response.read())) == expected
        conn.close()
    conn = http.client.HTTPConnection("127.0.0.1", sbi.port, timeout=5)
    conn.request("OPTIONS", "/")
    assert conn.getresponse().getheader("Access-Control-Allow-Origin") == "*"
    conn.close()


def test_capture_two_index_fingers(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi)
    scanner = SbiFingerprintScanner(client, client.discover()[0])
    captures = scanner.capture([Finger.LEFT_INDEX, Finger.RIGHT_INDEX])
    assert [c.finger for c in captures] == [Finger.LEFT_INDEX, Finger.RIGHT_INDEX]
    for c in captures:
        assert c.media_type == "image/png" and c.quality == 44
        assert c.image is not None
        assert Image.open(io.BytesIO(c.image)).mode == "L"
    # two slaps, two transactions, one hash chain across them
    assert len(scanner.transactions) == 2
    first, second = scanner.transactions
    assert first.previous_hash == EMPTY_HASH
    assert second.previous_hash == first.final_hash == first.records[-1].hash
    assert scanner.last_hash == second.final_hash
    assert first.transaction_id != second.transaction_id


def test_hash_chain_matches_the_definition(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi)
    device = client.discover()[0]
    capture = client.rcapture(device, [Finger.RIGHT_INDEX, Finger.RIGHT_MIDDLE])
    h = EMPTY_HASH
    for record in capture.records:
        h = chain_hash(h, record.bio_value)
        assert record.hash == h
        assert iso19794_4.decode(record.bio_value).images[0].position == record.finger.value  # type: ignore[union-attr]


def test_exceptions_are_sent_and_reported(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi)
    scanner = SbiFingerprintScanner(client, client.discover()[0])
    captures = scanner.capture_with_exceptions(
        [Finger.LEFT_INDEX, Finger.LEFT_MIDDLE, Finger.RIGHT_INDEX],
        {Finger.LEFT_MIDDLE: FingerException.INJURED, Finger.RIGHT_INDEX: FingerException.MISSING},
    )
    assert [c.exception for c in captures] == [
        None,
        FingerException.INJURED,
        FingerException.MISSING,
    ]
    assert scanner.transactions[0].exceptions == (Finger.LEFT_MIDDLE,)
    assert len(scanner.transactions) == 1  # the right slap had nothing left to capture


@pytest.mark.parametrize(
    ("fault", "error", "code"),
    [
        (Fault.BAD_SIGNATURE, CaptureFailed, "DEV-SBI-TRUST"),
        (Fault.EXPIRED_CERTIFICATE, CaptureFailed, "DEV-SBI-TRUST"),
        (Fault.UNREGISTERED, DeviceUnavailable, "DEV-SBI-UNREGISTERED"),
        (Fault.WRONG_TRANSACTION_ID, CaptureFailed, "DEV-SBI-PROTOCOL"),
        (Fault.WRONG_SPEC_VERSION, CaptureFailed, "DEV-SBI-PROTOCOL"),
        (Fault.STALE_TIMESTAMP, CaptureFailed, "DEV-SBI-CLOCK"),
        (Fault.FEWER_FINGERS, CaptureFailed, "DEV-SBI-INCOMPLETE"),
        (Fault.BAD_HASH, CaptureFailed, "DEV-SBI-TRUST"),
        (Fault.TAMPER, CaptureFailed, "DEV-SBI-TAMPER"),
        (Fault.BUSY, DeviceBusy, "DEV-BUSY"),
        (Fault.GONE_MID_CAPTURE, DeviceUnavailable, "DEV-UNAVAILABLE"),
    ],
)
def test_faults_map_to_stable_errors(
    sbi: SbiDeviceDouble, fault: Fault, error: type[Exception], code: str
) -> None:
    client = client_for(sbi, busy_retries=1)
    device = client.discover()[0]
    status, _ = admin(sbi, "/admin/fault", {"fault": fault.value, "enabled": True})
    assert status == 200
    with pytest.raises(error) as caught:
        client.rcapture(device, [Finger.LEFT_INDEX, Finger.LEFT_MIDDLE])
    assert caught.value.code == code  # type: ignore[attr-defined]


def test_device_gone_disappears_from_discovery(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi)
    device = client.discover()[0]
    sbi.set_fault(Fault.GONE_MID_CAPTURE)
    with pytest.raises(DeviceUnavailable):
        client.rcapture(device, [Finger.RIGHT_THUMB])
    assert client.discover() == []


def test_busy_is_retried_until_free(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi, busy_retries=3)
    device = client.discover()[0]
    admin(sbi, "/admin/status", {"type": "Finger", "deviceStatus": "Busy"})
    timer = threading.Timer(
        0.3, lambda: admin(sbi, "/admin/status", {"type": "Finger", "deviceStatus": "Ready"})
    )
    timer.start()
    try:
        capture = client.rcapture(device, [Finger.LEFT_THUMB])
    finally:
        timer.cancel()
    assert len(capture.records) == 1


def test_busy_retry_honours_stop(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi, busy_retries=5)
    device = client.discover()[0]
    sbi.set_fault(Fault.BUSY)
    stop = threading.Event()
    threading.Timer(0.2, stop.set).start()
    with pytest.raises(CaptureCancelled):
        client.rcapture(device, [Finger.LEFT_THUMB], stop=stop)


def test_admin_score_delay_and_profile(sbi: SbiDeviceDouble, tmp_path: object) -> None:
    client = client_for(sbi)
    device = client.discover()[0]
    assert admin(sbi, "/admin/score", {"type": "Finger", "qualityScore": 83})[0] == 200
    assert (
        admin(sbi, "/admin/delay", {"type": "Finger", "delay": 50, "method": ["RCAPTURE"]})[0]
        == 200
    )
    assert admin(sbi, "/admin/profile", {"profileId": "Automatic"})[0] == 200
    capture = client.rcapture(device, [Finger.RIGHT_INDEX])
    assert capture.records[0].quality == 83
    assert admin(sbi, "/admin/nonsense", {})[0] == 404
    assert admin(sbi, "/admin/score", {"qualityScore": "high"})[0] == 400


def test_stream_preview_frames(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi)
    device = client.discover()[0]
    stop = threading.Event()
    frames = []
    for frame in client.stream(device, 1, stop):
        frames.append(frame)
        if len(frames) == 3:
            stop.set()
    assert len(frames) == 3
    assert all(f.startswith(b"\xff\xd8") for f in frames)
    assert Image.open(io.BytesIO(frames[0])).format == "JPEG"


def test_stalled_stream_is_detected(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi, timeouts=SbiTimeouts(stream_stall=0.6))
    device = client.discover()[0]
    sbi.set_fault(Fault.STALLED_STREAM)
    stop = threading.Event()
    got = []
    with pytest.raises(CaptureFailed) as caught:
        for frame in client.stream(device, 2, stop):
            got.append(frame)
    assert caught.value.code == "DEV-SBI-STREAM-STALLED"
    assert len(got) == 1


def test_unsigned_device_info_is_not_trusted(sbi: SbiDeviceDouble) -> None:
    sbi.set_fault(Fault.UNREGISTERED)
    with pytest.raises(base.SbiNotRegistered):
        client_for(sbi).device_info(sbi.port)


def test_parallel_capture_gets_busy(sbi: SbiDeviceDouble) -> None:
    client = client_for(sbi, busy_retries=0)
    device = client.discover()[0]
    sbi.state.delays_ms["RCAPTURE"] = 600
    results: list[object] = []

    def run() -> None:
        try:
            results.append(client.rcapture(device, [Finger.LEFT_INDEX]))
        except DeviceBusy as e:
            results.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sum(isinstance(r, DeviceBusy) for r in results) == 1


# pure helpers


@pytest.mark.parametrize(
    ("versions", "chosen"),
    [(["0.9.5"], "0.9.5"), (["0.9.2", "0.9.5"], "0.9.5"), (["0.9.2"], None), ([], None)],
)
def test_version_negotiation(versions: list[str], chosen: str | None) -> None:
    adapter = negotiate(versions)
    assert (adapter.version if adapter else None) == chosen


@pytest.mark.parametrize(
    ("code", "error"),
    [
        (100, base.SbiNotRegistered),
        (103, base.SbiTamper),
        (111, DeviceBusy),
        (112, base.SbiProtocolError),
        (106, DeviceUnavailable),
        (102, base.SbiDeviceError),
        (599, base.SbiDeviceError),
    ],
)
def test_error_mapping(code: int, error: type[Exception]) -> None:
    assert isinstance(base.error_for(code), error)


@pytest.mark.parametrize(
    "text", ["2026-01-02T03:04:05.678Z", "2026-01-02T03:04:05+00:00", "2026-01-02T12:04:05+09:00"]
)
def test_timestamps(text: str) -> None:
    assert parse_timestamp(text).tzinfo is not None
    assert parse_timestamp(text).astimezone(dt.UTC).hour == 3


def test_jws_tampered_payload_fails(sbi: SbiDeviceDouble) -> None:
    token = sbi.digital_id()
    header, payload, signature = token.split(".")
    forged = jws.b64url_encode(json.dumps({"serialNo": "X"}).encode())
    with pytest.raises(jws.JwsError):
        jws.verify(f"{header}.{forged}.{signature}", [sbi.ca])
    assert jws.verify(token, [sbi.ca]).payload["serialNo"] == sbi.serial
    with pytest.raises(jws.JwsError):
        jws.verify(token, [])
