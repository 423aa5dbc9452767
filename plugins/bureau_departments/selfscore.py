"""附件3 自评分: each unit's own score and reason per indicator, beside the assessed score.

UI-free: the TUI and exporters call these. Every change is one transaction with an audit entry.
"""

from __future__ import annotations

from dataclasses import dataclass

from kaohe_tui.api import (
    PATH_SEP,
    Period,
    RecordError,
    Scheme,
    Store,
    UnitIndex,
    authorize,
    checked_period,
    clean_text,
    fmt,
    load_units,
    norm,
    now,
    parse_number,
    refuse_if_closed,
    scheme_for_period,
    t,
)

from .tables import SELF_SCORES

TARGETS = "年度目标任务"
BASIC = "基础管理"
KEY_DEDUCTION = "重点指标扣分"
BONUS = "特别附加分"


@dataclass(frozen=True)
class SheetIndicator:
    """One scored row of 附件3: its 考核类别, 考核内容, the indicator's path and 标准分值."""

    category: str
    content: str
    path: str
    standard: float | None
    low: float  # the range a self-score may take
    high: float | None  # None: no upper limit (特别附加分)


def sheet_indicators(scheme: Scheme) -> list[SheetIndicator]:
    """The rows of 附件3 that carry scores, in the sheet's order, read from the scheme."""
    by_name = {n.name: n for n in scheme.indicators}
    targets = by_name[TARGETS].points
    rows = [SheetIndicator("目标任务", "年度目标任务完成情况", TARGETS, targets, 0, targets)]
    for child in by_name[BASIC].children:
        rows.append(SheetIndicator(BASIC, child.name, f"{BASIC}{PATH_SEP}{child.name}", child.points, 0, child.points))
    floor = float(by_name[KEY_DEDUCTION].params.get("floor", -100))
    rows.append(SheetIndicator(KEY_DEDUCTION, "", KEY_DEDUCTION, None, floor, 0))
    rows.append(SheetIndicator(BONUS, "", BONUS, None, 0, None))
    return rows


def find_sheet_indicator(scheme: Scheme, text: str) -> SheetIndicator:
    key = norm(text)
    for row in sheet_indicators(scheme):
        if key in {norm(row.path), norm(row.path.split(PATH_SEP)[-1]), norm(row.content or row.path)}:
            return row
    names = "、".join(r.path.split(PATH_SEP)[-1] for r in sheet_indicators(scheme))
    raise RecordError(t("selfscore_not_a_row", text=text, names=names))


def parse_points(raw, field: str) -> float:
    value = parse_number(raw, field)
    if value is None:
        raise RecordError(t("selfscore_not_a_number", field=field, raw=raw))
    return value


def check_period(store: Store, scheme: Scheme, period: str) -> tuple[Scheme, Period]:
    """The scheme as it stands for ``period`` (an office year's own version) and the period,
    checked against it: a year the scheme does not have is refused as ever."""
    scheme = scheme_for_period(store, scheme, period)
    return scheme, checked_period(store, scheme, period)


def set_self_score(store: Store, scheme: Scheme, period: str, unit: str, indicator: str, points,
                   reason: str = "") -> dict:
    """Enter (or replace) a unit's self-score for one indicator; returns the stored row.

    A score below full marks needs the unit's reason (加（扣）分原因). 重点指标扣分 is entered as
    the unit reports it, as a negative number or 0; 特别附加分 as points gained. The period's own
    scheme gives the units and the rows' standards."""
    scheme, p = check_period(store, scheme, period)
    name = UnitIndex(load_units(store, scheme)).resolve(unit).name
    authorize(store, "self-score", scheme.id, name)  # a unit enters its own self-scores only
    row_def = find_sheet_indicator(scheme, indicator)
    value = parse_points(points, "points")
    if value < row_def.low or (row_def.high is not None and value > row_def.high):
        top = fmt(row_def.high) if row_def.high is not None else "∞"
        raise RecordError(t("selfscore_outside", value=fmt(value), path=row_def.path, low=fmt(row_def.low), high=top))
    reason = clean_text(reason, "reason")
    full = row_def.standard if row_def.standard is not None else 0.0
    if value != full and not reason:
        raise RecordError(t("selfscore_needs_reason", value=fmt(value), full=fmt(full)))
    key = (scheme.id, str(p), name, row_def.path)
    with store.transaction() as db:
        refuse_if_closed(db.conn, scheme.id, p)  # again, under the write lock
        old = next(db.query(f"SELECT points, reason FROM {SELF_SCORES} WHERE scheme = ? AND period = ? AND unit = ? "
                            "AND indicator = ?", list(key)), None)
        row = {"scheme": scheme.id, "period": str(p), "unit": name, "indicator": row_def.path, "points": value,
               "reason": reason, "entered_by": store.user, "entered_at": now()}
        db[SELF_SCORES].insert(row, replace=True)
        store.audit("self-score", scheme=scheme.id, unit=name, old=old,
                    new={"indicator": row_def.path, "points": value, "reason": reason}, reason=reason or "自评满分")
    return row


def list_self_scores(store: Store, scheme: Scheme, period: str, unit: str | None = None) -> list[dict]:
    """Self-scores of a period (one unit's, or all), in the sheet's row order."""
    p = Period.parse(period)
    scheme = scheme_for_period(store, scheme, p)
    args = [scheme.id, str(p)]
    sql = f"SELECT * FROM {SELF_SCORES} WHERE scheme = ? AND period = ?"
    if unit:
        sql += " AND unit = ?"
        args.append(UnitIndex(load_units(store, scheme)).resolve(unit).name)
    order = {r.path: i for i, r in enumerate(sheet_indicators(scheme))}
    rows = list(store.db.query(sql, args))
    return sorted(rows, key=lambda r: (r["unit"], order.get(r["indicator"], len(order))))
