"""Do a period's cases still add up to the monthly counts scoring reads? Scores read each
month's case counts, kept by the imports; the cases themselves, counted again with the same SQL
(``case_classes``), must give them (a case deleted, added or edited with ``sqlite3`` would not).
``kaohe close`` refuses to sign when they do not; ``kaohe verify`` names the months. One pass."""

from __future__ import annotations

from kaohe_tui.case_classes import ROW, STORED, month_sums
from kaohe_tui.periods import Period


def mismatched_months(conn, scheme_id: str, period: Period) -> list[str]:
    """The months of ``period`` whose cases and stored counts disagree, in order."""
    end = period.end.isoformat() + " 99"
    recount = month_sums(f"SELECT {', '.join(ROW)} FROM cases "
                         "WHERE scheme = ? AND reported_at >= ? AND reported_at <= ?")
    cases = {(u, m): tuple(n) for u, m, *n in conn.execute(recount, [scheme_id, period.start.isoformat(), end])
             if any(n)}  # a unit-month of void cases only has no counts
    counts = {(u, m): tuple(n or 0 for n in rest) for u, m, *rest in conn.execute(
        f"SELECT unit, month, {', '.join(STORED)} FROM case_month_stats WHERE scheme = ? AND month >= ? AND month <= ?",
        [scheme_id, str(period.months()[0]), str(period.months()[-1])])}
    return sorted({key[1] for key in set(cases) | set(counts) if cases.get(key) != counts.get(key)})
