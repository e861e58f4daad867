"""Reading the machine-readable zone from a document image with the ``tesseract`` program.

Debian packages: ``tesseract-ocr`` (the program and its English model). Only numpy and
Pillow are used here; the image work is small enough not to need OpenCV.

The steps: grey scale, straighten (projection-profile skew estimate within ±3°), find the
band of wide text lines nearest the bottom of the page, run ``tesseract`` on that band, then
repair the lines field by field (digits where ICAO 9303 demands digits, letters where it
demands letters) and let :meth:`Mrz.parse` verify every check digit. When a character is
ambiguous in an alphanumeric field (``0``/``O``, ``1``/``I``, ``8``/``B``...), the variants
are tried and the one whose check digits all pass wins.

The MRZ text is personal data: it is never logged and never put into an error message.
"""

from __future__ import annotations

import io
import itertools
import logging
import os
import shutil
import subprocess
from collections.abc import Iterator

import numpy as np
from PIL import Image, UnidentifiedImageError

from workstation.documents import Mrz
from workstation.errors import DeviceUnavailable, DocumentUnreadable, InvalidMrz

logger = logging.getLogger(__name__)

TESSERACT_TIMEOUT = 30.0
"""Seconds one ``tesseract`` run may take."""

_WHITELIST = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<"
_TO_DIGIT = str.maketrans({"O": "0", "Q": "0", "D": "0", "I": "1", "L": "1", "B": "8",
                           "S": "5", "Z": "2", "G": "6", "T": "7"})  # fmt: skip
_TO_LETTER = str.maketrans({"0": "O", "1": "I", "8": "B", "5": "S", "2": "Z", "6": "G",
                            "7": "T", "4": "A"})  # fmt: skip
_ALTERNATIVES = {"0": "O", "O": "0", "1": "I", "I": "1", "8": "B", "B": "8", "5": "S",
                 "S": "5", "2": "Z", "Z": "2", "D": "0", "Q": "0"}  # fmt: skip
_MAX_VARIANTS = 256

# Field layout per line: D digit, C check digit (digit or filler), A letters or filler,
# N letters, digits or filler (ambiguous: variants are tried), X sex (M, F or filler).
_LAYOUTS: dict[int, tuple[str, ...]] = {
    30: (
        "AA" + "AAA" + "N" * 9 + "C" + "N" * 15,
        "D" * 6 + "C" + "X" + "D" * 6 + "C" + "AAA" + "N" * 11 + "C",
        "A" * 30,
    ),
    36: (
        "AA" + "AAA" + "A" * 31,
        "N" * 9 + "C" + "AAA" + "D" * 6 + "C" + "X" + "D" * 6 + "C" + "N" * 7 + "C",
    ),
    44: (
        "AA" + "AAA" + "A" * 39,
        "N" * 9 + "C" + "AAA" + "D" * 6 + "C" + "X" + "D" * 6 + "C" + "N" * 14 + "CC",
    ),
}


class MrzNotFound(DocumentUnreadable):
    """The image shows no machine-readable zone that could be read."""

    code = "DOC-MRZ-NOT-FOUND"


def read_mrz(
    image: bytes | np.ndarray,
    *,
    tesseract: str = "tesseract",
    timeout: float = TESSERACT_TIMEOUT,
) -> Mrz:
    """Find, read and verify the MRZ of a document page.

    :param image: an encoded image (PNG, JPEG, TIFF...) or an RGB (or grey) numpy array.
    :param tesseract: name or path of the ``tesseract`` program.
    :raises DeviceUnavailable: ``tesseract`` is not installed or did not run.
    :raises DocumentUnreadable: the bytes are not an image.
    :raises MrzNotFound: no text band that looks like an MRZ.
    :raises InvalidMrz: an MRZ was read but its check digits fail after every correction.
    """
    program = shutil.which(tesseract)
    if program is None:
        raise DeviceUnavailable("tesseract program not found (Debian package tesseract-ocr)")
    grey = _to_grey(image)
    grey = _straighten(grey)
    rows = _find_band(grey)
    if rows is None:
        raise MrzNotFound("no band of wide text lines in the image")
    line_height = rows[-1][1] - rows[-1][0]
    top = max(0, rows[0][0] - line_height)
    bottom = min(grey.shape[0], rows[-1][1] + line_height)
    crop = grey[top:bottom]
    ink = _ink(grey)
    last_error: InvalidMrz | None = None
    for prepared in (_pad(crop), _pad(_binarise(crop))):
        lines = _mrz_lines(_run_tesseract(program, prepared, timeout))
        if lines is None:
            continue
        try:
            return _best_parse(lines, ink, rows)
        except InvalidMrz as e:
            last_error = e
    if last_error is not None:
        raise last_error
    raise MrzNotFound("the text band holds no MRZ lines")


# Image handling


def _to_grey(image: bytes | np.ndarray) -> np.ndarray:
    if isinstance(image, bytes | bytearray):
        try:
            with Image.open(io.BytesIO(image)) as opened:
                return np.asarray(opened.convert("L"), dtype=np.uint8)
        except (UnidentifiedImageError, OSError, ValueError) as e:
            raise DocumentUnreadable("image could not be decoded") from e
    array = np.asarray(image)
    if array.ndim == 3 and array.shape[2] >= 3:
        rgb = array[..., :3].astype(np.float32)
        array = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
    if array.ndim != 2 or array.size == 0:
        raise DocumentUnreadable("image array must be RGB or grey")
    return np.clip(array, 0, 255).astype(np.uint8)


def _otsu(grey: np.ndarray) -> int:
    hist = np.bincount(grey.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    weight0 = np.cumsum(hist)
    mean0 = np.cumsum(hist * np.arange(256))
    weight1 = total - weight0
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean0[-1] * weight0 / total - mean0) ** 2 / (weight0 * weight1)
    between = np.nan_to_num(between)
    return int(np.argmax(between))


def _binarise(grey: np.ndarray) -> np.ndarray:
    return np.where(grey > _otsu(grey), 255, 0).astype(np.uint8)


def _ink(grey: np.ndarray) -> np.ndarray:
    return grey <= _otsu(grey)


def _straighten(grey: np.ndarray) -> np.ndarray:
    """Rotate so that text rows are horizontal (the sharpest row projection wins)."""
    image = Image.fromarray(grey)
    scale = min(1.0, 800 / max(grey.shape))
    small = image.resize((max(1, int(grey.shape[1] * scale)), max(1, int(grey.shape[0] * scale))))
    best_angle, best_score = 0.0, -1.0
    for angle in np.arange(-3.0, 3.01, 0.25):
        rotated = np.asarray(small.rotate(float(angle), resample=Image.Resampling.BILINEAR,
                                          fillcolor=255))  # fmt: skip
        profile = _ink(rotated).sum(axis=1).astype(np.float64)
        score = float(np.sum(np.diff(profile) ** 2))
        if score > best_score:
            best_angle, best_score = float(angle), score
    if best_angle == 0.0:
        return grey
    turned = image.rotate(best_angle, resample=Image.Resampling.BICUBIC, fillcolor=255)
    return np.asarray(turned, dtype=np.uint8)


def _find_band(grey: np.ndarray) -> list[tuple[int, int]] | None:
    """Rows ``(top, bottom)`` of each line in the lowest group of 2 or 3 wide, evenly spaced
    text lines."""
    height, width = grey.shape
    ink = _ink(grey)
    if ink.mean() > 0.5:  # nothing dark on light: no printed text
        return None
    # Text lines first: runs of rows holding ink. Then, per line, a horizontal closing
    # (smear the ink of the whole line over about one character cell) turns a line of text
    # into one long run; MRZ lines span most of the document width.
    row_ink = ink.sum(axis=1) > max(2, width // 200)
    gap = max(3, width // 60)
    kernel = np.ones(gap, dtype=np.float64)
    lines: list[tuple[int, int]] = []
    y = 0
    while y < height:
        if not row_ink[y]:
            y += 1
            continue
        start = y
        while y < height and row_ink[y]:
            y += 1
        if y - start < max(4, height // 200):
            continue
        columns = ink[start:y].any(axis=0).astype(np.float64)
        smeared = np.convolve(columns, kernel, mode="same") > 0
        if _longest_run(smeared) / width > 0.6:
            lines.append((start, y))
    if len(lines) < 2:
        return None
    # Take the lowest lines whose heights and spacing agree (MRZ lines are uniform).
    group = [lines[-1]]
    for line in reversed(lines[:-1]):
        top, bottom = group[0]
        line_height = bottom - top
        spacing = top - line[1]
        if spacing > 2.5 * line_height or not 0.5 < (line[1] - line[0]) / line_height < 2.0:
            break
        group.insert(0, line)
        if len(group) == 3:
            break
    if len(group) < 2:
        return None
    return group


def _longest_run(mask: np.ndarray) -> int:
    if not mask.any():
        return 0
    padded = np.concatenate(([0], mask.astype(np.int8), [0]))
    edges = np.flatnonzero(np.diff(padded))
    return int((edges[1::2] - edges[0::2]).max())


def _pad(grey: np.ndarray) -> np.ndarray:
    margin = max(10, grey.shape[0] // 4)
    return np.pad(grey, margin, mode="constant", constant_values=255)


# Running tesseract


def _run_tesseract(program: str, grey: np.ndarray, timeout: float) -> str:
    buffer = io.BytesIO()
    Image.fromarray(grey).save(buffer, format="PNG")
    command = [
        program,
        "stdin",
        "stdout",
        "--psm",
        "6",
        "-l",
        "eng",
        "-c",
        f"tessedit_char_whitelist={_WHITELIST}",
        "-c",
        "load_system_dawg=0",
        "-c",
        "load_freq_dawg=0",
    ]
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        done = subprocess.run(  # noqa: S603 - a resolved program path and fixed arguments
            command,
            input=buffer.getvalue(),
            capture_output=True,
            timeout=timeout,
            check=False,
            env=env,
        )
    except FileNotFoundError as e:
        raise DeviceUnavailable("tesseract program not found") from e
    except subprocess.TimeoutExpired as e:
        raise DeviceUnavailable(f"tesseract took longer than {timeout:g} s") from e
    if done.returncode != 0:
        # tesseract's stderr names files and models, never the recognised text.
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise DeviceUnavailable(f"tesseract failed: {message[-1] if message else done.returncode}")
    return done.stdout.decode("utf-8", "replace")


# Repairing the text


def _mrz_lines(text: str) -> tuple[str, ...] | None:
    """The last 2 or 3 lines that look like MRZ lines, without spaces."""
    rows = ["".join(ch for ch in row.upper() if ch in _WHITELIST) for row in text.splitlines()]
    rows = [row for row in rows if len(row) >= 20]
    if len(rows) < 2:
        return None
    tail3 = rows[-3:]
    if len(tail3) == 3 and all(abs(len(row) - 30) <= 4 for row in tail3):
        return tuple(tail3)
    return tuple(rows[-2:])


def _fit(line: str, length: int) -> str:
    """Bring ``line`` to ``length`` by stretching or shrinking its longest filler run,
    else by padding or cutting at the end."""
    if len(line) == length:
        return line
    runs = [(m_end - m_start, m_start) for m_start, m_end in _filler_runs(line)]
    if runs:
        size, start = max(runs)
        new_size = size + (length - len(line))
        if new_size >= 1 and start + size < len(line):
            return line[:start] + "<" * new_size + line[start + size :]
    return line[:length].ljust(length, "<")


def _filler_runs(line: str) -> Iterator[tuple[int, int]]:
    i = 0
    while i < len(line):
        if line[i] == "<":
            j = i
            while j < len(line) and line[j] == "<":
                j += 1
            if j - i >= 2:
                yield i, j
            i = j
        else:
            i += 1


_FILLER_LOOKALIKES = frozenset("KXECLZ")


def _restore_fillers(line: str, ink: np.ndarray, row: tuple[int, int]) -> str:
    """Turn letters that are really ``<`` back into fillers, judged from the glyph itself.

    tesseract's English model often reads OCR-B's ``<`` as ``K`` or ``X``. The MRZ is
    monospaced, so each character has a cell; a ``<`` is the one glyph whose left edge
    (its apex) has ink only around the middle of the line, never near the top or baseline.
    """
    top, bottom = row
    band = ink[top:bottom]
    columns = np.flatnonzero(band.any(axis=0))
    if columns.size == 0:
        return line
    first, last = int(columns[0]), int(columns[-1])
    n = len(line)
    pitch = (last - first) / (n - 0.32)
    start = first - 0.15 * pitch
    height = bottom - top
    chars = list(line)
    for i, ch in enumerate(chars):
        if ch not in _FILLER_LOOKALIKES:
            continue
        cell = band[:, max(0, round(start + i * pitch)) : round(start + (i + 1) * pitch)]
        used = np.flatnonzero(cell.any(axis=0))
        if used.size < 3:
            continue
        left = cell[:, used[0] : used[0] + max(1, (used[-1] - used[0]) // 5)]
        ink_rows = np.flatnonzero(left.any(axis=1))
        if ink_rows.size and ink_rows[0] > 0.25 * height and ink_rows[-1] < 0.75 * height:
            chars[i] = "<"
    return "".join(chars)


def _groups(pattern: str) -> list[tuple[int, int]]:
    """``(start, length)`` of each run of non-filler characters."""
    out: list[tuple[int, int]] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "<":
            i += 1
            continue
        j = i
        while j < len(pattern) and pattern[j] != "<":
            j += 1
        out.append((i, j - i))
        i = j
    return out


def _rebuild_names(
    line: str, length: int, has_header: bool, ink: np.ndarray, row: tuple[int, int]
) -> str | None:
    """Rebuild a names line from where the image has glyphs and the letters tesseract read.

    Names carry no check digit, and tesseract both misreads ``<`` as ``K`` and inserts
    stray ``K``s into filler runs, which shifts the names. The glyph cells say how long each
    word is; tesseract's words are fitted to them, trimming stray look-alikes at their ends.
    ``None`` when the two do not agree.
    """
    pattern = _restore_fillers("K" * length, ink, row)
    skip = 5 if has_header else 0
    cells = _groups(pattern[skip:])
    words = [line[skip:][start : start + size] for start, size in _groups(line[skip:])]
    words = [word for word in words if word.strip("".join(_FILLER_LOOKALIKES))]
    if len(words) < len(cells):
        return None
    words = words[: len(cells)]  # what follows the names is noise read from the filler
    chars = list(line[:skip].ljust(skip, "<") + "<" * (length - skip))
    for word, (start, size) in zip(words, cells, strict=True):
        while len(word) > size:
            if word[0] in _FILLER_LOOKALIKES:
                word = word[1:]
            elif word[-1] in _FILLER_LOOKALIKES:
                word = word[:-1]
            else:
                return None
        if len(word) != size:
            return None
        chars[skip + start : skip + start + size] = word
    return "".join(chars)


def _repair(line: str, layout: str) -> list[list[str]]:
    """Per position, the characters to try (the first is the most likely)."""
    options: list[list[str]] = []
    for ch, kind in zip(line, layout, strict=True):
        if kind == "D":
            options.append([ch.translate(_TO_DIGIT) if ch != "<" else "0"])
        elif kind == "C":
            options.append([ch if ch == "<" else ch.translate(_TO_DIGIT)])
        elif kind == "A":
            options.append([ch.translate(_TO_LETTER)])
        elif kind == "X":
            options.append([ch if ch in "MF<" else "<"])
        else:
            alternative = _ALTERNATIVES.get(ch)
            options.append([ch, alternative] if alternative else [ch])
    return options


def _candidates(
    lines: tuple[str, ...],
    ink: np.ndarray | None = None,
    rows: list[tuple[int, int]] | None = None,
) -> Iterator[str]:
    # The data line (the one with the most digits) keeps its length best; names lose fillers.
    data = max(lines, key=lambda line: sum(ch.isdigit() for ch in line))
    length = min(_LAYOUTS, key=lambda n: abs(n - len(data)))
    layout = _LAYOUTS[length]
    if len(lines) != len(layout):
        lines = lines[-len(layout) :]
        if len(lines) != len(layout):
            return
    fitted = [_fit(line, length) for line in lines]
    if ink is not None and rows is not None and len(rows) == len(lines):
        names = 2 if length == 30 else 0
        rebuilt = _rebuild_names(lines[names], length, names == 0, ink, rows[names])
        if rebuilt is not None:
            fitted[names] = rebuilt
        fitted = [_restore_fillers(line, ink, row) for line, row in zip(fitted, rows, strict=True)]
    options = [opt for line, lay in zip(fitted, layout, strict=True) for opt in _repair(line, lay)]
    ambiguous = [i for i, opt in enumerate(options) if len(opt) > 1]
    first = [opt[0] for opt in options]
    # Fewest changes first: every subset of ambiguous positions, smallest subsets first.
    tried = 0
    for count in range(len(ambiguous) + 1):
        for subset in itertools.combinations(ambiguous, count):
            chars = list(first)
            for i in subset:
                chars[i] = options[i][1]
            text = "".join(chars)
            yield "\n".join(text[k : k + length] for k in range(0, len(text), length))
            tried += 1
            if tried >= _MAX_VARIANTS:
                return


def _best_parse(lines: tuple[str, ...], ink: np.ndarray, rows: list[tuple[int, int]]) -> Mrz:
    error: InvalidMrz | None = None
    for candidate in _candidates(lines, ink, rows):
        try:
            return Mrz.parse(candidate)
        except InvalidMrz as e:
            error = error or e
    raise error or InvalidMrz("MRZ lines have the wrong shape")
