"""A trend's four quarters scored from one read of the year's records (``Scorer.score_quarters``):
the same figures as each quarter scored alone, a signed quarter from its snapshot."""

from __future__ import annotations

from conftest import CORE_PLUGIN, Q1_CASES, cases_file
from kaohe_tui import catalog, plugins


def test_quarters_from_one_read_of_the_year(k, db_path, tmp_path):
    from kaohe_tui.scoring import Scorer
    from kaohe_tui.store import Store

    k.run("import", "fixture-cases", str(cases_file(tmp_path, Q1_CASES)))
    k.record("fixture-cases", period="2018Q2", unit="乙街道", indicator="处置核查", clause="red-light", count=5,
             reason="红灯")
    k.run("close", "fixture-cases", "--period", "2018Q1", "--reason", "一季度考核结果已签发")
    k.record("fixture-cases", period="2018Q3", unit="甲街道", indicator="处置核查", clause="red-light", count=2,
             reason="红灯")
    plugins.load_plugins([CORE_PLUGIN])
    store = Store(db_path)
    try:
        quarters = Scorer(store, catalog.get("fixture-cases")).score_quarters(2018)
    finally:
        store.close()
    total = {q: {r.unit: r.total for r in results} for q, results in quarters.items()}
    # Q1 (signed): 甲 14.5 as worked in test_cases (结案率 8.9 + 处置核查 5.6); 乙 5 + 5.8 = 10.8
    assert total["2018Q1"]["甲街道"] == 14.5 and total["2018Q1"]["乙街道"] == 10.8
    # Q2: no cases (结案率 missing: 0) and 乙's 5 red lights: 6 − 0.5 = 5.5; 甲 nothing deducted: 6
    assert total["2018Q2"]["乙街道"] == 5.5 and total["2018Q2"]["甲街道"] == 6
    # Q3: 甲's 2 red lights only: 6 − 0.2 = 5.8 (Q2's record does not leak into Q3, nor Q3's into Q2)
    assert total["2018Q3"]["甲街道"] == 5.8 and total["2018Q3"]["乙街道"] == 6
    assert total["2018Q4"]["甲街道"] == 6
