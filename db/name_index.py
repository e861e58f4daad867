"""The biographic name index: name search keys and birth dates packed into integers.

One row of ``watchlist_name_index`` is one integer primary key (a rowid table, the most
compact B-tree SQLite has, with no second index to maintain)::

    key code (16 bits) | birth-date code (16 bits) | person rowid (31 bits)

* the key code is a name search key (:func:`workstation.names.search_keys`): its kind
  (``p`` prefix, ``s`` suffix, ``t`` short token) and up to three letters in base 27;
* the birth-date code is the day number since 1875-01-01 plus one, clamped to 1..65535
  (1875..2054), and 0 for an unknown date;
* the rowid points at ``watchlist_persons``.

Because the key comes first and the birth date second, "persons sharing key K born between
A and B" is one range scan of the primary key, and "born on an unknown date" another: the
birth-date tolerance is applied inside the index instead of by visiting every person who
shares a common name prefix. The clamping keeps the order, so a window never loses a row.
"""

from __future__ import annotations

import datetime as dt
import functools
import re

from sqlite_utils import Database

from workstation.errors import WatchlistSourceInvalid
from workstation.names import person_keys

ROWID_BITS = 31
BIRTH_BITS = 16
MAX_ROWID = (1 << ROWID_BITS) - 1
BIRTH_SHIFT = ROWID_BITS
BIRTH_MAX = (1 << BIRTH_BITS) - 1
_KEY_SHIFT = ROWID_BITS + BIRTH_BITS
_EPOCH = dt.date(1875, 1, 1).toordinal() - 1
_KINDS = {"p": 0, "s": 1, "t": 2}
_SHIFTED: dict[str, int] = {}  # key -> its code in place; at most 3 * 27**3 entries
_KEY_RE = re.compile(r"^([ps]):([A-Z]{3})$|^(t):([A-Z]{2,3})$")


@functools.cache
def key_code(key: str) -> int:
    """The 16-bit code of one search key (``p:KAR``, ``s:IMO``, ``t:LI``).

    :raises WatchlistSourceInvalid: not a key of the current scheme.
    """
    match = _KEY_RE.match(key)
    if match is None:
        raise WatchlistSourceInvalid("bundle record has a malformed name search key")
    kind, letters = (match.group(1), match.group(2)) if match.group(1) else match.groups()[2:]
    value = 0
    for i in range(3):
        value = value * 27 + (ord(letters[i]) - 64 if i < len(letters) else 0)
    return _KINDS[kind] * 27**3 + value


def birth_code(birth: dt.date | None) -> int:
    """The 16-bit code of a date of birth, 0 when unknown; order-preserving (clamped)."""
    if birth is None:
        return 0
    return min(max(birth.toordinal() - _EPOCH, 1), BIRTH_MAX)


@functools.lru_cache(maxsize=1 << 16)
def birth_code_iso(birth: str | None) -> int:
    """:func:`birth_code` of an ISO date string as stored (``None`` or "" when unknown)."""
    return birth_code(dt.date.fromisoformat(birth)) if birth else 0


def entries(keys: str, birth: str | None, rowid: int) -> list[int]:
    """The index rows of one person: ``keys`` space-separated, ``birth`` ISO or ``None``.

    :raises WatchlistSourceInvalid: a malformed key, or a rowid out of range.
    """
    if not 0 < rowid <= MAX_ROWID:
        raise WatchlistSourceInvalid("too many watchlist persons for the name index")
    base = (birth_code_iso(birth) << BIRTH_SHIFT) | rowid
    try:
        return [_SHIFTED[k] | base for k in keys.split()]
    except KeyError:
        for k in keys.split():
            _SHIFTED[k] = key_code(k) << _KEY_SHIFT
        return [_SHIFTED[k] | base for k in keys.split()]


def rowid_of(entry: int) -> int:
    return entry & MAX_ROWID


def birth_of(entry: int) -> int:
    return (entry >> BIRTH_SHIFT) & BIRTH_MAX


def ranges(keys: list[str], low: dt.date | None, high: dt.date | None) -> list[tuple[int, int]]:
    """Primary-key ranges holding the persons that share one of ``keys`` and were born
    between ``low`` and ``high`` or on an unknown date; every birth date if either bound is
    ``None``."""
    out: list[tuple[int, int]] = []
    for key in keys:
        top = key_code(key) << _KEY_SHIFT
        if low is None or high is None:
            out.append((top, top | ((1 << _KEY_SHIFT) - 1)))
            continue
        out.append((top, top | MAX_ROWID))  # birth date unknown
        lo = max(birth_code(low), 1)
        hi = birth_code(high)
        out.append((top | (lo << BIRTH_SHIFT), top | (hi << BIRTH_SHIFT) | MAX_ROWID))
    return out


def rebuild(db: Database) -> int:
    """Recompute every live person's search keys and the whole index from the stored names
    (for a migration or a change of key scheme); call inside a transaction. Returns the
    number of persons."""
    db.execute("DELETE FROM watchlist_name_index")
    rows = db.execute(
        "SELECT rowid, surname, given_names, native_surname, native_given_names, birth_date "
        "FROM watchlist_persons"
    ).fetchall()
    updates: list[tuple[str, int]] = []
    index: list[int] = []
    for rowid, surname, given, native_surname, native_given, birth in rows:
        keys = person_keys(surname, given, native_surname, native_given)
        updates.append((keys, rowid))
        index += entries(keys, birth, rowid)
    db.conn.executemany("UPDATE watchlist_persons SET name_keys = ? WHERE rowid = ?", updates)
    index.sort()
    db.conn.executemany(
        "INSERT OR IGNORE INTO watchlist_name_index (entry) VALUES (?)", ((e,) for e in index)
    )
    return len(rows)
