"""Red lights by period: a case counts in the period whose end finds it late — closed late (even
when closed after the period's end), or still open past its deadline when the period ends. The
open ones are read through the partial index on open cases (``case_indexes``, m015)."""

from __future__ import annotations

from conftest import cases_file

LINES = [
    "C1,丙街道,巡查,2018-01-10 09:00,2018-01-20 17:00,2018-04-05 10:00,0,0,",  # late, closed in Q2: Q1's
    "C2,丙街道,巡查,2018-03-20 09:00,2018-04-10 17:00,,0,0,",  # open, due after Q1's end: the year's only
    "C3,丙街道,巡查,2018-02-01 09:00,2018-02-10 17:00,,0,0,",  # open past its deadline: Q1's
    "C4,丙街道,巡查,2018-03-31 09:00,2018-03-31 17:00,,0,0,",  # due on Q1's last day, open: Q1's
    "C5,丙街道,巡查,2018-04-02 09:00,2018-04-03 17:00,,0,0,",  # reported in Q2, open past its deadline: Q2's
    "C6,丙街道,巡查,2018-03-01 09:00,2018-03-05 17:00,2018-03-04 10:00,0,0,",  # on time: never
]


def test_red_lights_of_each_period_worked_by_hand(k, tmp_path):
    k.run("import", "fixture-cases", str(cases_file(tmp_path, LINES)))
    # Q1: C1 (closed late), C3, C4 → 3 red lights: 处置核查 6 − 0.1×3 = 5.7
    assert k.score("fixture-cases", "2018Q1")["丙街道"]["indicators"]["处置核查"] == 5.7
    # Q2: C5 only (C2 was reported in Q1: it belongs to Q1, where its deadline had not passed) → 6 − 0.1 = 5.9
    assert k.score("fixture-cases", "2018Q2")["丙街道"]["indicators"]["处置核查"] == 5.9
    # the year: C1, C2 (due 04-10, open at the year's end), C3, C4, C5 → 5
    explain = k.run("explain", "fixture-cases", "--period", "2018", "--unit", "丙街道").stdout
    assert "数字城管案件统计：超时（红灯）5件" in explain
    # a month: March ends with C4 and… C2 is not due yet → 1 (C3 is February's: reported then)
    explain = k.run("explain", "fixture-cases", "--period", "2018-03", "--unit", "丙街道").stdout
    assert "数字城管案件统计：超时（红灯）1件" in explain
