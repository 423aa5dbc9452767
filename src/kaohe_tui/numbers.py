"""Reading a number someone typed (a CLI option, a spreadsheet cell): one line for any input.

Only digits 0–9 (full-width ０–９ too: Chinese input methods type them), one point, a sign and
an exponent. Python's ``float`` and ``int`` also take ``٣``, ``1_000`` and — through
``str.isdigit`` — ``①`` and ``²``; a footnote mark in ``3²`` is not thirty-two, so those are
refused. Magnitudes beyond 10^15 are refused too: no count or amount in an assessment comes
near, floats stay exact below it, and SQLite's integers end at 2^63.
"""

from __future__ import annotations

import re
from typing import Any, Literal, overload

from kaohe_tui.errors import RecordError
from kaohe_tui.messages import field as field_name
from kaohe_tui.messages import t

FULL_WIDTH = str.maketrans("０１２３４５６７８９．－＋ｅＥ", "0123456789.-+eE")
PLAIN = re.compile(r"[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?", re.ASCII)
WHOLE = re.compile(r"\+?\d+", re.ASCII)
LIMIT = 10 ** 15


@overload
def parse_number(raw: Any, field: str, *, whole: Literal[True]) -> int | None: ...


@overload
def parse_number(raw: Any, field: str, *, whole: bool = False) -> float | int | None: ...


def parse_number(raw: Any, field: str, *, whole: bool = False) -> float | int | None:
    """``raw`` (text or a number from a spreadsheet cell) as a float, or an int ≥ 0 when
    ``whole``; None for an empty cell. Anything else: ``RecordError`` naming field and input."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    name = field_name(field)
    if isinstance(raw, bool):
        raise RecordError(t("not_a_number", field=name, raw=raw))
    if isinstance(raw, (int, float)):
        number = float(raw)
    else:
        text = str(raw).strip().translate(FULL_WIDTH)
        if not PLAIN.fullmatch(text):
            raise RecordError(t("not_a_number", field=name, raw=raw))
        number = float(text)
    if number != number or abs(number) == float("inf") or abs(number) > LIMIT:
        raise RecordError(t("out_of_range", field=name, raw=raw, limit=f"{LIMIT:.0e}"))
    if whole:
        if number < 0 or number != int(number):
            raise RecordError(t("not_whole", field=name, raw=raw))
        return int(number)
    return number


def parse_count(raw: str, field: str) -> int:
    """A count cell of a platform file: empty is 0; digits only (no sign, no point)."""
    if not raw:
        return 0
    text = raw.translate(FULL_WIDTH)
    if not WHOLE.fullmatch(text) or int(text) > LIMIT:
        raise RecordError(t("count_whole", field=field, raw=raw))
    return int(text)
