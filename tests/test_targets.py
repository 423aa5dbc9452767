"""Seed 003's 19 work points as a demo target list (plugins/targets), and their use in
city-coordination's 目标责任书 (rule ``target_items``) through the real CLI."""

from __future__ import annotations

import csv
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CSV = ROOT / "data" / "targets" / "wujin-cgj-2015-work-points.csv"
THEMES = ["建设法治城管", "倡导民生城管", "完善数字城管", "打造效能城管", "推动人人城管", "创建满意城管"]


@pytest.fixture
def targets():
    name = "kaohe_test_targets"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, ROOT / "plugins" / "targets" / "__init__.py")
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]


def test_nineteen_tasks_under_six_themes(targets):
    items = targets.work_points()
    with CSV.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [i.number for i in items] == list(range(1, 20))
    assert [(i.theme, i.task, i.content) for i in items] == [(r["主题"], r["任务"], r["内容"]) for r in rows]
    groups = targets.by_theme(items)
    assert list(groups) == THEMES
    assert [len(g) for g in groups.values()] == [3, 3, 3, 4, 3, 3]  # 效能城管 has tasks 10–13
    assert items[6].label == "7、整合数字执法平台"


def test_default_points_spread_thirty_over_nineteen(targets):
    points = [i.points for i in targets.work_points()]
    # 300 tenths ÷ 19 = 15 each, 15 left over → the first 15 tasks carry 1.6, the last 4 carry 1.5
    assert points == [1.6] * 15 + [1.5] * 4
    assert sum(points) == pytest.approx(30)  # 15 × 1.6 + 4 × 1.5 = 24 + 6
    # in half points instead: 60 halves ÷ 19 = 3 each, 3 left over → 3 × 2 + 16 × 1.5 = 30
    assert [i.points for i in targets.work_points(step=0.5)] == [2.0] * 3 + [1.5] * 16
    with pytest.raises(ValueError):
        targets.spread(30, 19, 0.7)  # 30 is not a whole number of 0.7-point steps


def test_a_not_completed_item_is_a_target_items_record(targets):
    item = targets.work_points()[3]
    row = targets.not_completed(item, "城管局", "目标责任书", "2018", "城东转运站未建成")
    assert row == {"unit": "城管局", "indicator": "目标责任书", "clause": "not-done", "amount": 1.6, "period": "2018",
                   "reason": "4、坚持民意引领未按要求完成：城东转运站未建成",
                   "attrs": {"item": "4、坚持民意引领", "主题": "倡导民生城管"}}


def test_city_coordination_demo_scores_items_from_the_list(kaohe, targets):
    kaohe.run("demo", "city-coordination")
    ledger = kaohe.json("ledger", "city-coordination", "--period", "2018")
    letter = [r for r in ledger if r["indicator"] == "目标责任书"]
    points = {i.label: i.points for i in targets.work_points()}
    assert {r["attrs"]["item"] for r in letter} == {
        "4、坚持民意引领",
        "12、广告管理提优",
        "10、市容管理提质",
        "7、整合数字执法平台",
    }
    assert all(r["amount"] == points[r["attrs"]["item"]] for r in letter)
    year = kaohe.score("city-coordination", "2018")
    assert year["城管局"]["indicators"]["目标责任书"] == 26.8  # 30 − 1.6 (item 4) − 1.6 (item 12)
    assert year["住建局"]["indicators"]["目标责任书"] == 28.4  # 30 − 1.6 (item 10)
    assert year["环保局"]["indicators"]["目标责任书"] == 30  # item 7 recorded under special circumstances
    # an office records another item by hand, naming it and giving its points
    item = targets.work_points()[17]  # 18、以素质强队伍, 1.5
    kaohe.record("city-coordination", period="2018", unit="卫生局", indicator="目标责任书", clause="not-done",
                 amount=item.points, attr=f"item={item.label}", reason=f"{item.label}未按要求完成")
    assert kaohe.score("city-coordination", "2018")["卫生局"]["indicators"]["目标责任书"] == 28.5  # 30 − 1.5
