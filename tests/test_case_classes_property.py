"""Each figure a period's cases give equals what the list of the cases it counted adds up to
(``kaohe cases --counted FIGURE`` lists them with the figure's SQL in ``case_classes``): the monthly
counts the imports keep — added, taken out again when a later export changes a case (moving it to
another unit or month), or when an import is withdrawn — and the list made afresh from the cases
are two uses of one table, so an auditor can recount any figure from the list. Every figure of
the table is checked (a class added to it is checked too). Cases are generated in every class:
open, closed on time, extended, late, without a deadline, void, force-closed, with failed checks
and answers; some files have no deadline column (their cases are untimed)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_core_scheme, new_store
from kaohe_tui.case_classes import CLASSES, RATES
from kaohe_tui.case_import import careful_import
from kaohe_tui.case_withdraw import withdraw_import
from kaohe_tui.cases import list_cases, unit_stats
from kaohe_tui.periods import Period


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")

HEADER = ["案件编号", "责任单位", "上报时间", "处置时限", "结案时间", "延期次数", "核查未通过次数", "回访满意度",
          "案件状态"]


@st.composite
def case_rows(draw, first: int = 0):
    rows = []
    for i in range(first, first + draw(st.integers(1, 12))):
        month, day = draw(st.integers(1, 12)), draw(st.integers(1, 20))
        reported = f"2018-{month:02d}-{day:02d} 09:00:00"
        deadline = draw(st.sampled_from(["", f"2018-{month:02d}-{day + 2:02d} 17:00:00"]))
        closed = draw(st.sampled_from(["", f"2018-{month:02d}-{day + 1:02d} 10:00:00",
                                       f"2018-{month:02d}-{day + 5:02d} 10:00:00"]))
        rows.append([f"K{i}", draw(st.sampled_from(["甲街道", "乙街道"])), reported, deadline, closed,
                     draw(st.sampled_from(["", "0", "1", "3"])), draw(st.sampled_from(["", "0", "2"])),
                     draw(st.sampled_from(["", "满意", "不满意", "未回访"])),
                     draw(st.sampled_from(["", "", "结案", "作废", "强制结案"]))])
    return rows, draw(st.booleans())


@st.composite
def histories(draw):
    """A first file; perhaps a later export (some of its cases changed — unit, month, closing …
    — and some new ones); perhaps the first import withdrawn (when nothing updated it)."""
    first = draw(case_rows())
    later = None
    if draw(st.booleans()):
        again = draw(case_rows())[0][:len(first[0])]
        keep = draw(st.lists(st.booleans(), min_size=len(again), max_size=len(again)))
        rows = [[f"K{i}", *row[1:]] if changed else first[0][i]
                for i, (row, changed) in enumerate(zip(again, keep, strict=True))]
        later = (rows + draw(case_rows(first=50))[0], first[1])
    return first, later, draw(st.booleans())


@settings(max_examples=int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 30)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(history=histories(), period=st.sampled_from(["2018", "2018Q2", "2018-07"]))
def test_every_figure_is_the_list_of_its_cases(scheme, tmp_path_factory, history, period):
    first, later, withdraw = history
    folder = tmp_path_factory.mktemp("classes")
    store = new_store(folder / "k.db", scheme)
    files = [first, later] if later else [first]
    for n, (rows, timed) in enumerate(files):
        keep = [i for i, h in enumerate(HEADER) if timed or h != "处置时限"]  # no deadline column: untimed cases
        path = folder / f"cases{n}.csv"
        path.write_text("\n".join(",".join(row[i] for i in keep) for row in [HEADER, *rows]) + "\n", encoding="utf-8")
        careful_import(store, scheme, path)
    last, updated = store.db.execute("SELECT id, updated FROM case_imports ORDER BY id DESC LIMIT 1").fetchone()
    if withdraw and not updated:  # the last import (one that changed earlier cases cannot be withdrawn)
        withdraw_import(store, scheme, last, "导错了文件")
    chosen = Period.parse(period)
    stats = unit_stats(store, scheme, chosen)
    for c in CLASSES:
        counted = list_cases(store, scheme, chosen, counted=c.name)
        recount = sum(case["counted"] for case in counted)
        assert all(case["counted"] > 0 for case in counted), c.name  # listed: it added to the figure
        if c.sums:
            assert recount >= len(counted)
        else:
            assert recount == len(counted)
        if c.name == "void":  # no figure: void cases are listed, counted in nothing
            assert {case["case_id"] for case in counted} == {
                case["case_id"] for case in list_cases(store, scheme, chosen) if case["platform_status"] == "void"}
            continue
        expected = sum(int(s[c.name]) for s in stats.values())
        assert recount == expected, (c.name, [case["case_id"] for case in counted])
    for rate in RATES:  # a rate lists the cases of the class it names
        ids = [case["case_id"] for case in list_cases(store, scheme, chosen, counted=rate.name)]
        assert ids == [case["case_id"] for case in list_cases(store, scheme, chosen, counted=rate.listed)]
        for s in stats.values():
            base = s[rate.denominator]
            assert s[rate.name] == (s[rate.numerator] / base * 100 if base else 0.0)
