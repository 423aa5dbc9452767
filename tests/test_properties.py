"""Properties that hold for any ledger: scores stay within [0, max] (bonuses aside), a deduction
never raises a score, and a total is the sum of its top-level indicators."""

from __future__ import annotations

import tempfile
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_core_scheme, new_store
from kaohe_tui.ledger import Draft, add_record
from kaohe_tui.rules.base import pts
from kaohe_tui.scoring import score
from rulekit import entry, indicator, run

FIXTURES = Path(__file__).parent / "fixtures"

CLAUSES = [
    {"id": "per", "text": "每次扣0.5", "per": 0.5},
    {"id": "per1", "text": "每次扣1", "per": 1},
    {"id": "tenth", "text": "每起扣0.1", "per": 0.1},
    {"id": "zero", "text": "不得分", "zero": True},
    {"id": "steps", "text": "累进", "steps": [0.2, 0.2, 0.5]},
    {"id": "double", "text": "加倍", "per": 0.5, "double_when": "x"},
    {"id": "range", "text": "酌情", "min": 0.1, "max": 0.5},
]

deduction_records = st.lists(
    st.builds(
        lambda clause, count, amount, doubled: entry(
            clause=clause, count=count, amount=amount if clause == "range" else None,
            attrs={"x": "1"} if doubled else {}),
        st.sampled_from([c["id"] for c in CLAUSES]),
        st.integers(min_value=0, max_value=30),
        st.floats(min_value=0.1, max_value=0.5),
        st.booleans(),
    ),
    max_size=25,
)
maxima = st.sampled_from([0.5, 1, 2, 5, 7, 10, 30])


@given(records=deduction_records, full=maxima)
def test_deductions_stay_within_zero_and_max(records, full):
    out = run(indicator(points=full, clauses=CLAUSES), records)
    assert 0 <= out.points <= full


@given(records=deduction_records, extra=deduction_records.filter(bool), full=maxima)
def test_adding_a_deduction_never_raises_a_score(records, extra, full):
    ind = indicator(points=full, clauses=CLAUSES)
    before = run(ind, records).points
    after = run(ind, records + extra[:1]).points
    assert after <= before


@given(records=deduction_records, full=maxima)
def test_explanation_adds_up_to_the_points(records, full):
    out = run(indicator(points=full, clauses=CLAUSES), records)
    assert pts(full + sum(line.delta for line in out.lines)) == out.points


@given(notices=st.integers(0, 6), full=maxima)
def test_notice_ladder_within_bounds(notices, full):
    ind = indicator(points=full, rule="notice_ladder", params={"ladder": [[1, 0.5], [2, "all"]]},
                    clauses=[{"id": "n", "text": "通报"}])
    assert 0 <= run(ind, [entry(clause="n")] * notices).points <= full


figures = st.floats(min_value=0, max_value=1e6, allow_nan=False)


@given(own=figures, others=st.lists(figures, max_size=15), full=maxima)
def test_statistic_rules_within_bounds(own, others, full):
    peers = {f"u{i}": [entry(unit=f"u{i}", value=v)] for i, v in enumerate(others)}
    for rule, params in [
        ("relative_to_average", {}),
        ("rank_bands", {"base": 0.2, "bands": [[1, 5, 0.8], [6, 10, 0.6], [11, 13, 0.4]]}),
        ("ratio_to_expected", {"expected": 100}),
    ]:
        out = run(indicator(points=full, rule=rule, params=params), [entry(value=own)], peers=peers)
        assert 0 <= out.points <= full, rule


@given(counts=st.lists(st.integers(0, 500), min_size=4, max_size=4), full=maxima)
def test_closure_rate_within_bounds(counts, full):
    ind = indicator(points=full, rule="closure_rate",
                    clauses=[{"id": c, "text": c} for c in ("on_time", "extended", "overdue", "due")])
    records = [entry(clause=c, count=n) for c, n in zip(("on_time", "extended", "overdue", "due"), counts, strict=True)]
    assert 0 <= run(ind, records).points <= full


ledger_rows = st.lists(
    st.tuples(
        st.sampled_from(["党委办", "侨办（侨联）", "财审科"]),
        st.sampled_from(
            [("工作纪律", "late"), ("工作纪律", "absent"), ("工作纪律", "no-ledger"), ("环境卫生", "dirty")]
        ),
        st.integers(1, 8),
        st.sampled_from(["2018", "2018Q1", "2018-07"]),
    ),
    max_size=12,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=ledger_rows, bonus=st.floats(min_value=0, max_value=5))
def test_total_is_the_sum_of_top_level_indicators(rows, bonus):
    scheme = load_core_scheme("fixture")
    with tempfile.TemporaryDirectory() as folder:
        store = new_store(Path(folder) / "p.db")
        for unit, (ind, clause), count, period in rows:
            add_record(
                store, scheme, Draft(unit=unit, indicator=ind, clause=clause, count=count, period=period, reason="p")
            )
        add_record(store, scheme, Draft(unit="财审科", indicator="特别附加分", amount=bonus, period="2018", reason="b"))
        results = {r.unit: r for r in score(store, scheme, "2018")}
        store.close()
    # The oracle, worked from tests/fixtures/core_plugin/fixture.toml in exact fractions: every row's
    # period (2018, 2018Q1, 2018-07) lies in 2018. 工作纪律 10: 0 once no-ledger is recorded, else
    # 10 − 0.5 per late − 1 per absence, not below 0; 环境卫生 2: 2 − 0.5 per dirty, not below 0;
    # 基础管理 = the two (≤ 12); the total adds 财审科's approved bonus.
    for unit in ("党委办", "侨办（侨联）", "财审科"):
        n = {clause: sum(c for u, (_, cl), c, _ in rows if u == unit and cl == clause)
             for clause in ("late", "absent", "no-ledger", "dirty")}
        discipline = Fraction(0) if n["no-ledger"] else max(Fraction(0), 10 - Fraction(1, 2) * n["late"] - n["absent"])
        hygiene = max(Fraction(0), 2 - Fraction(1, 2) * n["dirty"])
        extra = Fraction(bonus) if unit == "财审科" else Fraction(0)
        parts = results[unit].points_by_indicator()
        assert parts["基础管理"] == float(discipline + hygiene)  # halves: exact in binary
        assert results[unit].total == pytest.approx(float(discipline + hygiene + extra), abs=1e-6)
