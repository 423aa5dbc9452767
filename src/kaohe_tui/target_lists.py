"""Target lists (目标责任书): each unit's items with their points, per scheme and year, for the
indicators scored item by item (rule ``target_items``: 年度目标任务, 目标责任书, 交办任务).

Loaded from a file (``kaohe import SCHEME items.csv --kind targets [--period YEAR]``): one row per
item, columns 单位, 指标 (optional: the unit's first item-by-item indicator), 序号, 主题, 任务, 内容,
分值. A unit's items must add up to its indicator's points; a file replaces the lists of the
units it names for that year, all or nothing.
"""

from __future__ import annotations

import math
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlite_utils import Database

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.row_errors import RowError, RowsRejected
from kaohe_tui.rules.base import fmt, pts
from kaohe_tui.scheme import Indicator, Scheme, walk
from kaohe_tui.store import Store
from kaohe_tui.year_scheme import document_years

COLUMNS = {
    "unit": ("unit", "单位", "单位名称", "被考核单位", "部门"),
    "indicator": ("indicator", "指标"),
    "number": ("number", "序号"),
    "theme": ("theme", "主题", "类别"),
    "task": ("task", "任务", "项目", "目标"),
    "content": ("content", "内容", "目标内容"),
    "points": ("points", "分值", "分数"),
}


def target_indicators(scheme: Scheme, category: str | None) -> list[tuple[str, Indicator]]:
    return [(path, node) for path, node in walk(scheme.tree(category)) if node.rule_type == "target_items"]


def year_of(scheme: Scheme) -> int:
    year = getattr(scheme, "year", 0)
    if year:
        return year
    years = document_years(scheme)
    if not years:
        raise KaoheError(t("targets_need_year", scheme=scheme.id))
    return years[0]


def items(store: Store, scheme_id: str, year: int, unit: str | None = None) -> list[dict]:
    sql = "SELECT * FROM target_items WHERE scheme = ? AND year = ?" + (" AND unit = ?" if unit else "")
    return list(store.db.query(sql + " ORDER BY unit, indicator, number", [scheme_id, year, *([unit] if unit else [])]))


def read_items(store: Store, scheme: Scheme, path: Path) -> list[dict]:
    """The file's rows, checked: every problem names the file, the row and the field."""
    from kaohe_tui.io.tabular import header_names, read_rows
    from kaohe_tui.units import UnitIndex, load_units

    header, rows = read_rows(path)
    cols = header_names(header, COLUMNS)
    for needed in ("unit", "number", "task", "points"):
        if cols[needed] is None:
            raise KaoheError(t("targets_missing_column", path=path, columns="/".join(COLUMNS[needed][1:3])))
    index = UnitIndex(load_units(store, scheme))
    year = year_of(scheme)
    out: list[dict[str, Any]] = []
    problems: list[RowError] = []
    for number, row in rows:
        def cell(fld: str, row: dict = row) -> str:  # this row's cell (bound now, not at the loop's end)
            column = cols[fld]
            return (row.get(column) or "").strip() if column else ""

        try:
            unit = index.resolve(cell("unit"), cols["unit"] or "unit")  # checked above: the column is there
            targets = target_indicators(scheme, unit.category)
            if not targets:
                raise KaoheError(t("targets_no_item_indicator", column=cols["unit"], unit=unit.name))
            wanted = cell("indicator")
            match = [(p, n) for p, n in targets if not wanted or norm(wanted) in {norm(p), norm(n.name)}]
            if not match:
                raise KaoheError(t("targets_not_one_of", column=cols["indicator"], text=wanted,
                                   options="、".join(p for p, _ in targets)))
            try:
                item_no = int(cell("number"))
                points = float(cell("points"))
            except ValueError:
                bad = "number" if not cell("number").isdigit() else "points"
                raise KaoheError(t("targets_not_a_number", column=cols[bad], text=cell(bad))) from None
            if item_no < 1:
                raise KaoheError(t("targets_number_from_1", column=cols["number"], number=item_no))
            if not math.isfinite(points) or points < 0:
                raise KaoheError(t("targets_points", column=cols["points"], text=cell("points")))
            if not cell("task"):
                raise KaoheError(t("targets_empty", column=cols["task"]))
            out.append({"scheme": scheme.id, "year": year, "unit": unit.name, "indicator": match[0][0],
                        "number": item_no, "theme": cell("theme"), "task": cell("task"), "content": cell("content"),
                        "points": points, "source": Path(path).name, "_row": number, "_max": match[0][1].points})
        except KaoheError as exc:
            problems.append(RowError(path, number, exc))
    seen: dict[tuple, int] = {}
    sums: dict[tuple, float] = defaultdict(float)
    for item in out:
        key = (item["unit"], item["indicator"], item["number"])
        if key in seen:
            problems.append(RowError(path, item["_row"], t(
                "targets_twice", column=cols["number"], unit=item["unit"], number=item["number"], first=seen[key])))
        seen.setdefault(key, item["_row"])
        sums[(item["unit"], item["indicator"], item["_max"])] += item["points"]
    for (unit, indicator, declared), total in sums.items():
        if declared is not None and pts(total) != pts(declared):
            problems.append(RowError(path, None, t("targets_sum", unit=unit, indicator=indicator,
                                                   total=fmt(total), declared=fmt(declared))))
    if problems:
        raise RowsRejected(problems, t("nothing_imported", path=path))
    return out


def import_targets(store: Store, scheme: Scheme, path: Path) -> str:
    """Replace the target lists of the units the file names, for the scheme's year."""
    from kaohe_tui.roles import authorize

    authorize(store, "import-targets", scheme.id)
    rows = read_items(store, scheme, Path(path))
    if not rows:
        raise KaoheError(t("targets_none", path=path))
    year = rows[0]["year"]
    lists = sorted({(r["unit"], r["indicator"]) for r in rows})
    with store.transaction() as db:
        from kaohe_tui.closed import refuse_if_closed

        refuse_if_closed(db.conn, scheme.id, str(year))  # a year's lists feed each of its periods
        for unit, indicator in lists:
            db.execute("DELETE FROM target_items WHERE scheme = ? AND year = ? AND unit = ? AND indicator = ?",
                       [scheme.id, year, unit, indicator])
        db.table("target_items").insert_all([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
        store.audit("import-targets", scheme=scheme.id, new={"file": str(path), "year": year, "items": len(rows),
                                                            "lists": [f"{u} {i}" for u, i in lists]},
                    reason=f"import {Path(path).name}")
    return t("targets_imported", year=year, lists=len({u for u, _ in lists}), items=len(rows))


def carry_forward(db: Database, scheme_id: str, source: int, year: int) -> int:
    """A new year starts with last year's lists (the office replaces them by importing)."""
    cur = db.execute("INSERT INTO target_items "
                     "(scheme, year, unit, indicator, number, theme, task, content, points, source) "
                     "SELECT scheme, ?, unit, indicator, number, theme, task, content, points, '沿用' || ? || '年' "
                     "FROM target_items WHERE scheme = ? AND year = ?", [year, source, scheme_id, source])
    return cur.rowcount


def seed_items(db: Database, scheme: Scheme, unit: str, indicator: str, year: int, listed: list, source: str) -> int:
    """Load a list given by a plugin (e.g. seed 003's 19 tasks for 城管局)."""
    db.table("target_items").insert_all([{"scheme": scheme.id, "year": year, "unit": unit, "indicator": indicator,
                                    "number": i.number, "theme": i.theme, "task": i.task, "content": i.content,
                                    "points": i.points, "source": source} for i in listed])
    return len(listed)
