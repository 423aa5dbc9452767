"""A year's case counts and those of its quarters in one pass (a trend scores all five).

The same figures as ``cases.unit_stats`` asked once per period: the monthly counts are read once
for the year and summed per quarter (integer sums: the same numbers SQL's ``sum`` gives), and the
cases still open past their deadline are counted for the year and each quarter in one query over
the same index, each with its own period's bounds.
"""

from __future__ import annotations

from kaohe_tui.case_classes import LIVE
from kaohe_tui.case_counts import STAT_COLUMNS
from kaohe_tui.cases import _args, finish_stats
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme
from kaohe_tui.store import Store

MONTHS_SQL = f"""
SELECT unit, month, {", ".join(STAT_COLUMNS)} FROM case_month_stats
WHERE scheme = :scheme AND month >= :first AND month <= :last
"""

# per quarter: reported inside it and past its deadline when it ends (``cases.OPEN_LATE_SQL`` with
# that quarter's bounds); the year: the same with the year's
_LATE_IN = "sum(reported_at >= :since{q} AND reported_at < :until{q} AND deadline < :until{q})"
OPEN_LATE_SQL = f"""
SELECT unit, {", ".join(_LATE_IN.format(q=q) for q in range(1, 5))}, sum(deadline < :until)
FROM cases
WHERE scheme = :scheme AND closed_at IS NULL AND reported_at >= :since AND reported_at < :until AND {LIVE}
GROUP BY unit
"""


def year_unit_stats(store: Store, scheme: Scheme, year: int) -> dict[str, dict[str, dict[str, float]]] | None:
    """period (the year, its quarters) → ``cases.unit_stats`` of that period; None when a count
    is not a whole number (then each period is summed by SQL, as before)."""
    whole = Period(year, "year", 0)
    quarters = whole.quarters()
    args: dict[str, str] = dict(_args(scheme, whole))
    for q in quarters:
        own = _args(scheme, q)
        args[f"since{q.index}"], args[f"until{q.index}"] = own["since"], own["until"]
    sums: dict[str, dict[str, list[int]]] = {str(p): {} for p in [whole, *quarters]}
    year_key, width = str(whole), len(STAT_COLUMNS)
    for unit, month, *counts in store.db.execute(MONTHS_SQL, args).fetchall():
        if any(not isinstance(c, int) and c is not None for c in counts):
            return None
        quarter = f"{month[:4]}Q{(int(month[5:7]) + 2) // 3}"
        for key in (year_key, quarter):
            into = sums[key].get(unit)
            if into is None:
                into = sums[key][unit] = [0] * width
            for i, c in enumerate(counts):
                if c:
                    into[i] += c
    open_late: dict[str, dict[str, int]] = {str(p): {} for p in [whole, *quarters]}
    for unit, *late in store.db.execute(OPEN_LATE_SQL, args).fetchall():
        for p, n in zip([*quarters, whole], late, strict=True):
            open_late[str(p)][unit] = n or 0
    return {key: finish_stats({unit: {c: float(v) for c, v in zip(STAT_COLUMNS, counts, strict=True)}
                               for unit, counts in by_unit.items()}, open_late[key])
            for key, by_unit in sums.items()}
