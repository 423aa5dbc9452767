"""``kaohe verify`` recounts a signed-off period's cases with the same definitions as the monthly
counts (``case_classes``): a void case, counted nowhere, is no difference; a case whose closing
time was changed past kaohe (on time → late) is one."""

from __future__ import annotations

import sqlite3

HEADER = "案件编号,责任单位,来源,上报时间,处置时限,结案时间,延期次数,核查未通过次数,回访满意度,案件状态\n"


def test_verify_recounts_cases_as_the_figures_count_them(k, tmp_path):
    k.run("schemes")
    csv = tmp_path / "cases.csv"
    csv.write_text(
        HEADER + "C1,甲街道,巡查,2018-01-03 09:00:00,2018-01-10 17:00:00,2018-01-05 10:00:00,0,0,满意,结案\n"
        "C2,甲街道,巡查,2018-01-04 09:00:00,2018-01-10 17:00:00,,0,0,,作废\n",  # void: counted nowhere
        encoding="utf-8",
    )
    k.run("import", "fixture-cases", str(csv))
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "签发")
    assert k.run("verify", "fixture-cases").returncode == 0
    with sqlite3.connect(k.db) as conn:  # past kaohe: C1 closed after its deadline instead (same count of cases)
        conn.execute("DROP TRIGGER cases_closed_update")
        conn.execute("UPDATE cases SET closed_at = '2018-01-12 10:00:00' WHERE case_id = 'C1'")
    out = k.run("verify", "fixture-cases", ok=False).stdout
    assert "fixture-cases 2018Q1：2018-01 上报的案件与其计数不再相符" in out
