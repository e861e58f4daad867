"""Name normalisation for biographic search: scripts, romanisation variants and search keys.

Three layers, each pure:

* :func:`romanise` turns kana and kanji into Hepburn romaji (through pykakasi, loaded on
  first use) and folds diacritics, so ``山田 太郎``, ``ヤマダ タロウ`` and ``Yamada Tarō`` all
  reach Latin letters.
* :func:`fold` maps the spellings that romanisation systems and passport offices disagree
  on to one form (``OU``/``OO``/``OH``/``Ō`` → ``O``, ``SHI``/``SI``, ``TSU``/``TU``,
  ``HONMA``/``HOMMA``, doubled letters) so that variants compare equal.
* :func:`search_keys` derives the short keys the store indexes; two spellings of a name
  that differ by one typo still share at least one key per token of four letters or more.
  :func:`person_keys` gives a listed person's keys as one string: the publisher computes
  them once and ships them in the bundle (:data:`KEY_SCHEME` says how they were made), and
  the workstation computes them itself only for bundles without them.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Iterable

# Order matters: longer patterns first. Hepburn / Kunrei-shiki / Nihon-shiki / passport
# (Ministry of Foreign Affairs) spellings, plus a few spellings common in other languages.
_FOLDS: tuple[tuple[str, str], ...] = (
    ("SCH", "S"),
    ("SH", "S"),
    ("TCH", "C"),
    ("CH", "C"),
    ("TSU", "TU"),
    ("TS", "T"),
    ("DZ", "Z"),
    ("DJ", "J"),
    ("ZY", "J"),
    ("JY", "J"),
    ("DI", "JI"),
    ("ZI", "JI"),
    ("SY", "S"),
    ("TY", "C"),
    ("TI", "CI"),
    ("HU", "FU"),
    ("PH", "F"),
    ("CK", "K"),
    ("QU", "KW"),
    ("KH", "K"),
    ("GH", "G"),
    ("TH", "T"),
    ("OU", "O"),
    ("OO", "O"),
    ("OH", "O"),
    ("UU", "U"),
    ("EI", "E"),
    ("EE", "E"),
    ("AA", "A"),
    ("II", "I"),
    ("Y", "I"),
    ("W", "V"),
)
_N_BEFORE_LABIAL = re.compile(r"M(?=[BMP])")
_DOUBLES = re.compile(r"(.)\1+")
_NON_LETTERS = re.compile(r"[^A-Za-z]+")
_FOLD_PATTERN = re.compile("|".join(re.escape(a) for a, _ in _FOLDS))
_FOLD_MAP = dict(_FOLDS)

Transliterator = Callable[[str], str]

KEY_SCHEME = 2
"""Version of :func:`search_keys`. Keys shipped in a bundle are used only when they were
made by the same scheme; a change here needs a migration that rebuilds the stored index.
1: token, prefix and suffix keys; 2: prefix and suffix keys for tokens of four letters or
more (a whole-token key adds no candidate a prefix key does not find), token keys for
shorter ones."""


def _has_non_latin(text: str) -> bool:
    return any(ch.isalpha() and ord(ch) > 0x24F for ch in text)


@functools.cache
def _kakasi() -> Transliterator:
    import pykakasi  # pure Python; loaded only when a name is not in Latin script

    converter = pykakasi.kakasi()

    def convert(text: str) -> str:
        return " ".join(item["hepburn"] for item in converter.convert(text) if item["hepburn"])

    return convert


def romanise(text: str, transliterate: Transliterator | None = None) -> str:
    """Latin capitals and single spaces; kana/kanji transliterated, diacritics folded.

    :param transliterate: a kana/kanji → romaji function; pykakasi's Hepburn by default.
    """
    if text.isascii():  # the common case, and already in NFKD form
        return " ".join(_NON_LETTERS.sub(" ", text).upper().split())
    if _has_non_latin(text):
        text = (transliterate or _kakasi())(unicodedata.normalize("NFKC", text))
    decomposed = unicodedata.normalize("NFKD", text)
    letters = "".join(
        ch if ch.isascii() and ch.isalpha() else " "
        for ch in decomposed
        if not unicodedata.combining(ch)
    )
    return " ".join(letters.upper().split())


def fold(token: str) -> str:
    """One romanisation-neutral spelling of a Latin token (``SHOUTA`` → ``SOTA``)."""
    token = _N_BEFORE_LABIAL.sub("N", token)
    token = _FOLD_PATTERN.sub(lambda m: _FOLD_MAP[m.group(0)], token)
    return _DOUBLES.sub(r"\1", token)


@functools.lru_cache(maxsize=1 << 16)
def _part_tokens(part: str) -> tuple[str, ...]:
    # Names repeat (surnames above all), so a bulk computation meets most parts again.
    return tuple(t for t in (fold(t) for t in romanise(part).split()) if t)


def tokens(*parts: str) -> list[str]:
    """Folded tokens of the given name parts (Latin or native script), in order."""
    out: list[str] = []
    for part in parts:
        if part:
            out.extend(_part_tokens(part))
    return out


def search_keys(tokens_: Iterable[str]) -> set[str]:
    """Index keys of a name (scheme :data:`KEY_SCHEME`): the first and last three letters
    of each folded token of four letters or more (``p:KOV``, ``s:SKI``), the whole token
    of a two- or three-letter one (``t:LI``).

    A single typo in a token of four letters or more leaves its prefix or suffix key
    intact; one-letter tokens (initials) are not keyed.
    """
    keys: set[str] = set()
    for token in tokens_:
        if len(token) >= 4:
            keys.add("p:" + token[:3])
            keys.add("s:" + token[-3:])
        elif len(token) >= 2:
            keys.add("t:" + token)
    return keys


def person_keys(
    surname: str, given_names: str, native_surname: str = "", native_given_names: str = ""
) -> str:
    """A listed person's search keys, sorted and space-separated (Latin and native names)."""
    found = tokens(surname, given_names)
    if native_surname or native_given_names:
        found += tokens(native_surname, native_given_names)
    return " ".join(sorted(search_keys(found)))
