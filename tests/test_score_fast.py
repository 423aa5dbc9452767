"""What makes a trend's scoring fast must not change a figure or a word: a year scored with its
quarters counts its red lights for the five periods at once (``cases.year_open_late``), and an
explanation line keeps its numbers and is written only when read (``rules.base.LazyLine``)."""

from __future__ import annotations

from test_red_lights import LINES  # worked by hand there, case by case

from conftest import CORE_PLUGIN, cases_file
from kaohe_tui import catalog, plugins
from kaohe_tui.periods import Period


def _texts(nodes) -> list[str]:
    return [line.text for n in nodes for line in [*n.lines, *(x for c in n.children for x in c.lines)]]


def test_a_trend_counts_red_lights_as_each_period_alone(k, db_path, tmp_path):
    from kaohe_tui.scoring import Scorer
    from kaohe_tui.store import Store

    k.run("import", "fixture-cases", str(cases_file(tmp_path, LINES)))
    plugins.load_plugins([CORE_PLUGIN])
    store = Store(db_path)
    try:
        scorer = Scorer(store, catalog.get("fixture-cases"))
        quarters = scorer.score_quarters(2018)  # the year read once: its open-late cases counted at once
        year = scorer.score(Period.parse("2018"))
    finally:
        store.close()
    mine = {q: next(r for r in results if r.unit == "丙街道") for q, results in quarters.items()}
    points = {q: r.points_by_indicator()["处置核查"] for q, r in mine.items()}
    # Q1: C1 (closed late), C3, C4 → 6 − 0.1×3 = 5.7; Q2: C5 only (C2 is Q1's, not yet due then) → 5.9;
    # Q3, Q4: no case reported → 6
    assert points == {"2018Q1": 5.7, "2018Q2": 5.9, "2018Q3": 6, "2018Q4": 6}
    # the year: C1, C2 (due 04-10, still open at the year's end), C3, C4, C5 → 5 red lights
    texts = _texts(next(r for r in year if r.unit == "丙街道").indicators)
    assert any("数字城管案件统计：超时（红灯）5件" in t for t in texts)
    assert any("数字城管案件统计：超时（红灯）3件" in t for t in _texts(mine["2018Q1"].indicators))


def test_lines_written_when_read_say_what_the_rule_said(k):
    """A score entered twice (the first superseded) and an input nobody entered: the words,
    worked out by hand from the rules' texts."""
    from kaohe_tui.rules.base import Entry, Line, superseded_lines

    unit = "示例镇甲"
    first = k.record("city-coordination", period="2018Q1", unit=unit, indicator="社会评价", value=80, reason="初评")
    out = k.run("record", "city-coordination", "--period", "2018Q1", "--unit", unit, "--indicator", "社会评价",
                "--value", "90", "--reason", "复评", "--supersede").stdout
    second = int(out.strip().split("#")[-1])
    explain = k.json("explain", "city-coordination", "--period", "2018Q1", "--unit", unit)
    nodes = {n["name"]: n for n in explain["explanation"]}
    social = nodes["社会评价"]
    # the newest figure counts: 90 of 100, scaled to the indicator's 4 points = 3.6 (4 − 0.4)
    assert social["points"] == 3.6
    assert [(line["delta"], line["text"]) for line in social["lines"]] == [
        (-0.4, "评分90÷100×4 复评"),
        (0.0, f"记录#{first}的数值80已被记录#{second}替代（初评）"),  # the first figure stays explained
    ]
    # 业务考核 (66 points) nobody entered: 0 and provisional, in the rule's words
    assert [(line["delta"], line["text"]) for line in nodes["业务考核"]["lines"]] == [
        (-66.0, "评分未录入（2018Q1）：方案未规定缺省值，暂计0分，结果为暂定")]
    # a line written when read equals the plain line with the same words (a snapshot's are plain)
    older, newer = Entry(1, "u", "p", value=2.5, period="2018Q1"), Entry(2, "u", "p", value=3, period="2018Q1")
    [lazy] = superseded_lines([older, newer], newer)
    assert lazy == Line(0.0, "记录#1的数值2.5已被记录#2替代", None, (1,))
    assert Line(0.0, "记录#1的数值2.5已被记录#2替代", None, (1,)) == lazy
