"""MRZ OCR on synthetic data pages drawn at test time in the OCR-B font.

Needs the Debian packages ``tesseract-ocr`` and ``fonts-ocr-b``; the tests skip without them.
Set ``SEKISHO_MRZ_OCR_PAGES=20`` to measure the field accuracy over more generated pages
(the rate is printed; see docs/documents.md).
"""

from __future__ import annotations

import datetime as dt
import io
import os
import random
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageDraw, ImageFilter, ImageFont

from devices.documents.fake import SPECIMENS, compose_td3
from devices.documents.mrz_ocr import MrzNotFound, _candidates, _fit, read_mrz
from workstation.documents import Mrz, MrzFormat, check_digit
from workstation.errors import DeviceUnavailable, DocumentUnreadable, InvalidMrz

DPI = 300
MM = DPI / 25.4


def _ocr_b_font() -> Path | None:
    try:
        done = subprocess.run(
            ["fc-list", ":family=OCR B:style=Regular", "file"],
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )
        for line in done.stdout.splitlines():
            path = Path(line.split(":", 1)[0].strip())
            if path.name.upper().startswith("OCRB.") and path.exists():
                return path
    except (OSError, subprocess.SubprocessError):
        pass
    for path in sorted(Path("/usr/share/fonts").rglob("OCRB.*")):
        return path
    return None


FONT = _ocr_b_font()
needs_ocr = pytest.mark.skipif(
    shutil.which("tesseract") is None or FONT is None,
    reason="needs the Debian packages tesseract-ocr and fonts-ocr-b",
)
needs_font = pytest.mark.skipif(FONT is None, reason="needs the Debian package fonts-ocr-b")


def compose_td1(surname: str, given: str, number: str, nationality: str, birth: str,
                sex: str, expiry: str, state: str = "UTO") -> str:  # fmt: skip
    """A valid TD1 MRZ (three lines of 30) with all check digits computed."""
    num = number.ljust(9, "<")
    line1 = f"I<{state}{num}{check_digit(num)}".ljust(30, "<")
    line2 = f"{birth}{check_digit(birth)}{sex}{expiry}{check_digit(expiry)}{nationality}"
    line2 = line2.ljust(29, "<")
    line2 += check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    names = f"{surname.replace(' ', '<')}<<{given.replace(' ', '<')}"
    return "\n".join((line1, line2, names[:30].ljust(30, "<")))


@dataclass(frozen=True)
class Distortion:
    angle: float = 0.0
    blur: float = 0.0
    noise: float = 0.0


def data_page(mrz: str, distortion: Distortion = Distortion(), *, seed: int = 0) -> bytes:
    """A PNG of a data page (TD3 125 x 88 mm, TD1 85.6 x 54 mm) at 300 dpi with ``mrz``
    printed in OCR-B at 10 characters per inch, plus a title, labelled fields and a photo."""
    assert FONT is not None
    lines = mrz.splitlines()
    td1 = len(lines) == 3
    width, height = (round(85.6 * MM), round(54 * MM)) if td1 else (round(125 * MM), round(88 * MM))
    page = Image.new("L", (width, height), 238)
    draw = ImageDraw.Draw(page)
    pitch = 2.54 * MM
    mrz_font = ImageFont.truetype(str(FONT), round(pitch / 0.723))
    small = ImageFont.truetype(str(FONT), round(2.2 * MM))
    title = ImageFont.truetype(str(FONT), round(4 * MM))
    draw.text((round(6 * MM), round(3 * MM)), "UTOPIA  PASSPORT", fill=40, font=title)
    photo = (round(5 * MM), round(11 * MM), round(30 * MM), round(34 * MM if td1 else 45 * MM))
    draw.rectangle(photo, fill=150)
    draw.ellipse((photo[0] + 40, photo[1] + 30, photo[2] - 40, photo[3] - 60), fill=110)
    x = round(35 * MM)
    for i, label in enumerate(("Surname", "Given names", "Nationality", "Date of birth")):
        y = round((11 + i * 6) * MM)
        draw.text((x, y), label, fill=90, font=small)
        draw.text((x, y + round(2.4 * MM)), "SPECIMEN", fill=30, font=small)
    line_pitch = 4.23 * MM
    top = height - round(3 * MM) - round(line_pitch * len(lines))
    for i, line in enumerate(lines):
        draw.text((round(5 * MM), round(top + i * line_pitch)), line, fill=15, font=mrz_font)
    if distortion.angle:
        page = page.rotate(distortion.angle, resample=Image.Resampling.BICUBIC, fillcolor=238)
    if distortion.blur:
        page = page.filter(ImageFilter.GaussianBlur(distortion.blur))
    if distortion.noise:
        rng = np.random.default_rng(seed)
        pixels = np.asarray(page, dtype=np.float32)
        pixels += rng.normal(0.0, distortion.noise, pixels.shape)
        page = Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8))
    buffer = io.BytesIO()
    page.convert("RGB").save(buffer, format="PNG")
    return buffer.getvalue()


def _specimen_mrz(index: int) -> str:
    s = SPECIMENS[index % len(SPECIMENS)]
    expiry = (dt.date(2031, 1, 1) + dt.timedelta(days=97 * index)).strftime("%y%m%d")
    return compose_td3(s.surname, s.given_names, s.number, s.nationality, s.birth, s.sex, expiry)


def _fields(mrz: Mrz) -> tuple[object, ...]:
    return (
        mrz.format,
        mrz.document_number,
        mrz.surname,
        mrz.given_names,
        mrz.nationality,
        mrz.birth_date,
        mrz.sex,
        mrz.expiry_date,
        mrz.issuing_state,
    )


@needs_ocr
@pytest.mark.parametrize(
    ("index", "distortion"),
    [
        (0, Distortion()),
        (1, Distortion(angle=1.0, noise=8.0)),
        (3, Distortion(angle=-1.0, blur=0.8)),
        (5, Distortion(angle=0.5, blur=0.6, noise=6.0)),
    ],
)
def test_td3_pages_are_read(index: int, distortion: Distortion) -> None:
    expected = Mrz.parse(_specimen_mrz(index))
    got = read_mrz(data_page(expected.text, distortion, seed=index))
    assert _fields(got) == _fields(expected)
    assert got.lines == expected.lines


@needs_ocr
def test_td1_card_is_read_from_an_rgb_array() -> None:
    expected = Mrz.parse(
        compose_td1("SILVA", "MARIANA", "ID1122334", "UTO", "880219", "F", "310415")
    )
    png = data_page(expected.text, Distortion(angle=-0.7, noise=5.0), seed=7)
    rgb = np.asarray(Image.open(io.BytesIO(png)).convert("RGB"))
    got = read_mrz(rgb)
    assert got.format is MrzFormat.TD1
    assert _fields(got) == _fields(expected)


@needs_ocr
def test_page_without_mrz_raises_mrz_not_found() -> None:
    page = Image.new("RGB", (1400, 1000), (240, 240, 240))
    draw = ImageDraw.Draw(page)
    assert FONT is not None
    draw.text((80, 80), "UTOPIA", fill=(20, 20, 20), font=ImageFont.truetype(str(FONT), 60))
    draw.rectangle((80, 200, 400, 600), fill=(120, 120, 120))
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    with pytest.raises(MrzNotFound) as caught:
        read_mrz(buffer.getvalue())
    assert caught.value.code == "DOC-MRZ-NOT-FOUND"
    assert isinstance(caught.value, DocumentUnreadable)


@needs_ocr
def test_blank_page_raises_mrz_not_found() -> None:
    with pytest.raises(MrzNotFound):
        read_mrz(np.full((600, 900, 3), 250, dtype=np.uint8))


def test_bytes_that_are_no_image_are_unreadable() -> None:
    if shutil.which("tesseract") is None:
        pytest.skip("needs the Debian package tesseract-ocr")
    with pytest.raises(DocumentUnreadable):
        read_mrz(b"not an image")


def test_missing_tesseract_is_device_unavailable() -> None:
    with pytest.raises(DeviceUnavailable):
        read_mrz(b"", tesseract="/nonexistent/tesseract")


def test_corrections_follow_the_field_types() -> None:
    good = Mrz.parse(_specimen_mrz(0))
    l1, l2 = good.lines
    # Letters read in date and check-digit positions, digits in the name, "0" for "O" and
    # a dropped filler in the optional data.
    bad2 = l2[:13] + l2[13:19].replace("7", "T").replace("8", "B") + l2[19:]
    bad2 = bad2.replace("<<<<<<<<<<<<<<", "<<<<<<<<<<<<<")
    bad1 = l1.replace("ERIKSSON", "ER1KSS0N")
    doc = "L898902C3"
    assert doc in bad2
    bad2 = bad2.replace(doc, "L8989O2C3")
    parsed = next(
        m for m in (_try(c) for c in _candidates((bad1, bad2))) if m is not None
    )  # first candidate that passes
    assert _fields(parsed) == _fields(good)


def _try(text: str) -> Mrz | None:
    try:
        return Mrz.parse(text)
    except InvalidMrz:
        return None


def test_fit_stretches_the_longest_filler_run() -> None:
    assert _fit("AB<<<CD", 9) == "AB<<<<<CD"
    assert _fit("AB<<<CD", 6) == "AB<<CD"
    assert _fit("ABCD", 6) == "ABCD<<"


@needs_ocr
def test_field_accuracy_over_generated_pages() -> None:
    """Every check-digit-protected field must be right; the rate of pages with every field
    right (names included) is printed. 3 pages by default, more with SEKISHO_MRZ_OCR_PAGES."""
    count = int(os.environ.get("SEKISHO_MRZ_OCR_PAGES", "3"))
    rng = random.Random(20240601)
    right = 0
    for i in range(count):
        expected = Mrz.parse(_specimen_mrz(i + 10))
        distortion = Distortion(
            angle=rng.uniform(-1.0, 1.0), blur=rng.uniform(0.0, 1.0), noise=rng.uniform(0.0, 10.0)
        )
        got = read_mrz(data_page(expected.text, distortion, seed=i))
        protected = (0, 1, 4, 5, 6, 7, 8)  # everything but the names
        assert [_fields(got)[k] for k in protected] == [_fields(expected)[k] for k in protected]
        right += _fields(got) == _fields(expected)
    print(f"MRZ OCR: {right}/{count} pages with every field right")
