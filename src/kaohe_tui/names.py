"""Chinese names are matched exactly after NFKC normalisation and trimming.

NFKC folds full-width brackets, digits and letters into their half-width forms, so
``侨办（侨联）`` and ``侨办(侨联)`` are the same name; whitespace inside a name is dropped
because the documents break names over lines (``城建监察大队\\n（法规科）``). Invisible format
characters (Unicode category Cf: zero-width space U+200B, joiners, word joiner, BOM …) are dropped
too: 党委办 followed by U+200B prints exactly like 党委办 and must not become a twin unit.
"""

import functools
import re
import unicodedata

_SPACE = re.compile(r"\s+")


def strip_format(text: str) -> str:
    """``text`` without invisible format characters (Cf), trimmed: how a name is stored."""
    return "".join(ch for ch in text or "" if unicodedata.category(ch) != "Cf").strip()


# the same few names come back again and again (each header of a case file against every
# profile's, each unit name of a ledger row): NFKC and a regular expression cost ~17 µs a call
@functools.lru_cache(maxsize=1 << 16)
def norm(name: str) -> str:
    """The key under which a name is compared."""
    return _SPACE.sub("", unicodedata.normalize("NFKC", strip_format(name)))


def display_width(text: str) -> int:
    """Terminal cells taken by ``text``: wide (CJK) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
