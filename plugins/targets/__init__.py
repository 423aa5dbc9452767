"""Seed 003 (《武进区城管局2015年工作要点》) as a demo target list: the 19 numbered tasks under
six themes (法治城管 … 满意城管), read from ``data/targets/wujin-cgj-2015-work-points.csv``, each
with default points so that item-by-item target indicators (rule ``target_items``: 年度目标任务,
目标责任书) can be demonstrated.

The default spread: 30 points shared equally over the 19 tasks, in tenths of a point, by largest
remainder with ties going to the earlier task — 300 tenths ÷ 19 = 15 tenths each, remainder 15,
so tasks 1–15 carry 1.6 and tasks 16–19 carry 1.5 (15 × 1.6 + 4 × 1.5 = 30). ``work_points`` takes
another total or step if an office weighs them differently.

The list is also a real target list, not only demo data: a new database holds it as 城管局's
目标责任书 items for city-coordination's year (``kaohe_seed``), and ``kaohe import SCHEME FILE
--kind targets`` loads an office's own lists (``kaohe_tui.target_lists``). Another plugin reaches
this module as the loaded module ``kaohe_plugin_targets`` (or loads this file by path): plugin
packages cannot import one another by relative import.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from kaohe_tui.api import Importer, bundled, hookimpl

SOURCE = "targets/wujin-cgj-2015-work-points.csv"
DEFAULT_TOTAL = 30.0
DEFAULT_STEP = 0.1
NOT_DONE = "not-done"  # the clause a target_items indicator uses for an item not completed
# seed 003 is the city-management bureau's own work plan: its list in city-coordination
SEED_LIST = {"scheme": "city-coordination", "unit": "城管局", "indicator": "目标责任书"}


@dataclass(frozen=True)
class TargetItem:
    number: int  # 序号 1..19
    theme: str  # 主题: 建设法治城管 …
    task: str  # 任务: 健全依法行政机制 …
    content: str  # 内容, as written
    points: float

    @property
    def label(self) -> str:
        """How a record names the item: ``7、整合数字执法平台``."""
        return f"{self.number}、{self.task}"


def spread(total: float, n: int, step: float) -> list[float]:
    """``total`` shared over ``n`` items in multiples of ``step``, as equally as possible; the
    leftover steps go to the earliest items (largest remainder; all remainders are equal)."""
    if n <= 0:
        return []
    steps = round(total / step)
    if abs(steps * step - total) > 1e-9:
        raise ValueError(f"{total} is not a whole number of {step}-point steps")
    each, extra = divmod(steps, n)
    return [round((each + (1 if i < extra else 0)) * step, 6) for i in range(n)]


def read_tasks(path: Path | None = None) -> list[dict]:
    """The CSV rows as written (序号, 主题, 任务, 内容)."""
    path = path or bundled("data") / SOURCE
    with Path(path).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def work_points(total: float = DEFAULT_TOTAL, step: float = DEFAULT_STEP, path: Path | None = None) -> list[TargetItem]:
    """The 19 tasks of seed 003 in document order, with default points (see the module doc)."""
    rows = read_tasks(path)
    points = spread(total, len(rows), step)
    return [TargetItem(int(r["序号"]), r["主题"], r["任务"], r["内容"], p) for r, p in zip(rows, points, strict=False)]


def by_theme(items: list[TargetItem]) -> dict[str, list[TargetItem]]:
    """Items grouped under their theme, themes in document order."""
    groups: dict[str, list[TargetItem]] = {}
    for item in items:
        groups.setdefault(item.theme, []).append(item)
    return groups


def not_completed(item: TargetItem, unit: str, indicator: str, period: str, why: str = "") -> dict:
    """A ledger row (``kaohe record`` fields) for an item not completed as required: the item's
    points as ``amount``, its label in the reason and in ``attrs['item']``."""
    reason = f"{item.label}未按要求完成" + (f"：{why}" if why else "")
    return {"unit": unit, "indicator": indicator, "clause": NOT_DONE, "amount": item.points, "period": period,
            "reason": reason, "attrs": {"item": item.label, "主题": item.theme}}


@hookimpl
def kaohe_seed(db, scheme):
    if getattr(scheme, "id", None) != SEED_LIST["scheme"] or not scheme.periods:
        return None
    from kaohe_tui.api import seed_items

    year = int(str(scheme.periods[0])[:4])
    return seed_items(db, scheme, SEED_LIST["unit"], SEED_LIST["indicator"], year, work_points(),
                      "seed 003 武进区城管局2015年工作要点")


def _import(store, scheme, path):
    from kaohe_tui.api import import_targets

    return import_targets(store, scheme, path)


def _looks_like_targets(header: list[str]) -> bool:
    from kaohe_tui.api import norm

    keys = {norm(h) for h in header}
    return {"序号", "任务"} <= keys and bool(keys & {"分值", "points"})


@hookimpl
def kaohe_import_formats():
    return [Importer(kind="targets", title="目标责任书项目（序号、任务、分值）", run=_import,
                     detect=_looks_like_targets)]


def _targets_screen(app, store, scheme):
    from .screens import TargetsScreen

    return TargetsScreen(store, scheme)


@hookimpl
def kaohe_screens(scheme):
    from kaohe_tui.api import walk

    scored_by_items = any(node.rule_type == "target_items" for _, tree in scheme.trees() for _, node in walk(tree))
    if not scored_by_items:
        return None
    from kaohe_tui.api import SchemeScreen

    return [SchemeScreen("目标", "g", _targets_screen)]
