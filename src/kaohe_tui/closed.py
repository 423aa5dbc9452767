"""The one closed-period rule: nothing may change an input of a signed-off period.

A record touches the month of its date, or, undated, every month of its period (an undated
``2018`` record is refused while any month of 2018 is closed); it is refused when one of those
months lies in a closed period. Cases touch the month they were reported in.

Checked twice, both inside the write transaction: in Python by every path that writes (so the
message names the row or the period), and by triggers in the database itself (so a path that
forgets, a plugin, or a close that lands between a check and a write, is still refused).
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

from kaohe_tui.errors import RecordError
from kaohe_tui.periods import Period

if TYPE_CHECKING:  # the bulk-case helper imports this module: it stays light
    from sqlite_utils import Database

MARK = "kaohe-closed:"  # the start of a trigger's message, turned into one line by Store.transaction


def closed_months(conn, scheme_id: str) -> dict[str, str]:
    """Each month (``YYYY-MM``) a closed period freezes → that period (the narrowest, when its
    month, quarter and year are all closed). ``conn``: any DB-API connection (the bulk helper's
    own SQLite too), read inside the caller's write transaction."""
    closed = [Period.parse(r[0]) for r in conn.execute(
        "SELECT period FROM periods WHERE scheme = ? AND status = 'closed'", [scheme_id]).fetchall()]
    frozen: dict[str, str] = {}
    for period in sorted(closed, key=lambda p: ("month", "quarter", "year").index(p.kind)):
        for month in period.months():
            frozen.setdefault(str(month), str(period))
    return frozen


def months_touched(period: Period | str, date: str | None = None) -> list[str]:
    if date:
        return [str(date)[:7]]
    period = Period.parse(period) if isinstance(period, str) else period
    return [str(m) for m in period.months()]


def refuse_if_closed(conn, scheme_id: str, period: Period | str, date: str | None = None,
                     frozen: dict[str, str] | None = None) -> None:
    """``RecordError`` when a write for ``period`` (dated ``date``) would touch a closed month."""
    from kaohe_tui.messages import t

    frozen = closed_months(conn, scheme_id) if frozen is None else frozen
    for month in months_touched(period, date):
        if month in frozen:
            shut = frozen[month]
            if date:
                raise RecordError(t("date_in_closed", date=date, closed=shut))
            if str(period) == shut:
                raise RecordError(t("period_closed", period=period))
            inside = Period.parse(shut).contains(Period.parse(str(period)))
            raise RecordError(t("period_in_closed" if inside else "period_overlaps_closed", period=period, closed=shut))


def translate(exc: sqlite3.IntegrityError) -> RecordError | None:
    """A trigger's refusal as the one line a user reads (None: not ours)."""
    text = str(exc)
    if MARK in text:
        return RecordError(text.split(MARK, 1)[1].strip())
    return None


# -- the triggers ------------------------------------------------------------------------------
def _first(p: str) -> str:
    """SQL: the first month (YYYY-MM) of the period written in column ``p``."""
    return (f"(CASE length({p}) WHEN 4 THEN {p} || '-01' "
            f"WHEN 6 THEN substr({p}, 1, 4) || '-' || printf('%02d', 3 * substr({p}, 6, 1) - 2) ELSE {p} END)")


def _last(p: str) -> str:
    return (f"(CASE length({p}) WHEN 4 THEN {p} || '-12' "
            f"WHEN 6 THEN substr({p}, 1, 4) || '-' || printf('%02d', 3 * substr({p}, 6, 1)) ELSE {p} END)")


def _hits(scheme: str, first: str, last: str) -> str:
    return (f"EXISTS (SELECT 1 FROM periods c WHERE c.scheme = {scheme} AND c.status = 'closed' "
            f"AND {_first('c.period')} <= {last} AND {first} <= {_last('c.period')})")


def _record_hits(row: str) -> str:
    first = f"coalesce(substr({row}.date, 1, 7), {_first(row + '.period')})"
    last = f"coalesce(substr({row}.date, 1, 7), {_last(row + '.period')})"
    return _hits(f"{row}.scheme", first, last)


def _month_hits(row: str, month: str) -> str:
    return _hits(f"{row}.scheme", month, month)


def _raise(message: str) -> str:
    return f"SELECT RAISE(ABORT, '{MARK} {message}')"


CONTENT = ("scheme", "period", "unit", "indicator", "clause", "count", "amount", "value", "date", "reason", "attrs")

TRIGGERS = {
    "records_closed_insert":
        f"CREATE TRIGGER records_closed_insert BEFORE INSERT ON records WHEN {_record_hits('NEW')} "
        f"BEGIN {_raise('记录落在已签发关闭的期间内，须由管理员先重新开启')}; END",
    "records_closed_update":
        f"CREATE TRIGGER records_closed_update BEFORE UPDATE ON records WHEN {_record_hits('OLD')} "
        f"BEGIN {_raise('记录所在期间已签发关闭，须由管理员先重新开启')}; END",
    "records_no_edit":
        f"CREATE TRIGGER records_no_edit BEFORE UPDATE OF {', '.join(CONTENT)} ON records WHEN "
        + " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in CONTENT)
        + f" BEGIN {_raise('记录不能改动，只能撤回后重新录入')}; END",
    "case_stats_closed_insert":
        "CREATE TRIGGER case_stats_closed_insert BEFORE INSERT ON case_month_stats "
        f"WHEN {_month_hits('NEW', 'NEW.month')} "
        f"BEGIN {_raise('案件的上报月份已签发关闭，须由管理员先重新开启')}; END",
    "case_stats_closed_update":
        "CREATE TRIGGER case_stats_closed_update BEFORE UPDATE ON case_month_stats "
        f"WHEN {_month_hits('OLD', 'OLD.month')} "
        f"BEGIN {_raise('案件的上报月份已签发关闭，须由管理员先重新开启')}; END",
    "case_stats_closed_delete":
        "CREATE TRIGGER case_stats_closed_delete BEFORE DELETE ON case_month_stats "
        f"WHEN {_month_hits('OLD', 'OLD.month')} "
        f"BEGIN {_raise('案件的上报月份已签发关闭，须由管理员先重新开启')}; END",
    "cases_closed_update":
        f"CREATE TRIGGER cases_closed_update BEFORE UPDATE ON cases WHEN "
        f"{_month_hits('OLD', 'substr(OLD.reported_at, 1, 7)')} "
        f"OR {_month_hits('NEW', 'substr(NEW.reported_at, 1, 7)')} "
        f"BEGIN {_raise('案件的上报月份已签发关闭，须由管理员先重新开启')}; END",
    "cases_closed_delete":
        "CREATE TRIGGER cases_closed_delete BEFORE DELETE ON cases "
        f"WHEN {_month_hits('OLD', 'substr(OLD.reported_at, 1, 7)')} "
        f"BEGIN {_raise('案件的上报月份已签发关闭，须由管理员先重新开启')}; END",
}


def install_triggers(db: Database) -> None:
    for name, sql in TRIGGERS.items():
        db.execute(f"DROP TRIGGER IF EXISTS {name}")
        db.execute(sql)
