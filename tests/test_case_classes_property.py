"""Each figure a period's cases give equals what the list of the cases it counted adds up to
(``kaohe cases --counted FIGURE`` lists them with ``cases.counted_in``): the monthly counts the
import keeps and the per-case classes are two forms of one definition, so an auditor can recount
any figure from the list. Cases are generated in every class: open, closed on time, extended,
late, without a deadline, void, force-closed, with failed checks and answers; some files have
no deadline column (their cases are untimed)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_core_scheme, new_store
from kaohe_tui.case_import import careful_import
from kaohe_tui.cases import counted_in, list_cases, unit_stats
from kaohe_tui.periods import Period


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")

HEADER = ["案件编号", "责任单位", "上报时间", "处置时限", "结案时间", "延期次数", "核查未通过次数", "回访满意度",
          "案件状态"]
COUNTS = ("due", "on_time", "extended", "overdue", "red_light", "closed", "rework", "first_time", "satisfied",
          "visited", "untimed")
SUMS = {"extensions": lambda c: c["extensions"], "extensions_after_first": lambda c: max(c["extensions"] - 1, 0),
        "failed_checks": lambda c: c["failed_checks"]}


@st.composite
def case_rows(draw):
    rows = []
    for i in range(draw(st.integers(1, 12))):
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


@settings(max_examples=int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 30)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=case_rows(), period=st.sampled_from(["2018", "2018Q2", "2018-07"]))
def test_every_figure_is_the_list_of_its_cases(scheme, tmp_path_factory, data, period):
    rows, timed = data
    keep = [i for i, h in enumerate(HEADER) if timed or h != "处置时限"]  # no deadline column: untimed cases
    folder = tmp_path_factory.mktemp("classes")
    path = folder / "cases.csv"
    path.write_text("\n".join(",".join(row[i] for i in keep) for row in [HEADER, *rows]) + "\n", encoding="utf-8")
    store = new_store(folder / "k.db", scheme)
    careful_import(store, scheme, path)
    chosen = Period.parse(period)
    stats = unit_stats(store, scheme, chosen)
    listed = list_cases(store, scheme, chosen)
    for figure in (*COUNTS, *SUMS):
        test = counted_in(figure)
        counted = [c for c in listed if test(c)]
        expected = sum(int(s[figure]) for s in stats.values())
        recount = sum(map(SUMS[figure], counted)) if figure in SUMS else len(counted)
        assert recount == expected, (figure, [c["case_id"] for c in counted])
