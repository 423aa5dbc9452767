"""One meaning, two paths: whatever case file is given, the bulk path (SQLite reads the CSV in a
helper process) and the careful path (Python, row by row) store the same cases and the same
monthly counts, or both refuse it. Files are generated in many layouts — any subset of the
optional columns under any of their accepted names, in any order; 立案 and 上报 times, a status
(void, force-closed), a forced closing time, 处置结束; a profile of the office's own (its header
names, answers, statuses, period and closing time) or a ``--map`` — with every accepted time form,
odd whitespace, CR / CRLF / LF line ends, quoted line breaks, extra trailing cells, long counts
and unknown answers."""

from __future__ import annotations

import os
import sqlite3

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from conftest import load_core_scheme, new_store
from kaohe_tui import bulk_cases
from kaohe_tui.case_counts import ALL_COLUMNS
from kaohe_tui.case_import import CaseImportRejected, bulk_path, careful_import
from kaohe_tui.errors import KaoheError
from kaohe_tui.store import Store

HEADER = [
    "案件编号",
    "责任单位",
    "来源",
    "上报时间",
    "处置时限",
    "结案时间",
    "延期次数",
    "核查未通过次数",
    "回访满意度",
]
CASES = ("SELECT case_id, unit, source, reported_at, deadline, closed_at, extensions, failed_checks, satisfaction, "
         "satisfied, status, untimed FROM cases ORDER BY case_id")
STATS = "SELECT * FROM case_month_stats ORDER BY unit, month"

pytestmark = pytest.mark.skipif(not bulk_cases.available(), reason="sqlean.py is not installed")


@pytest.fixture
def scheme():
    return load_core_scheme("fixture-cases")


def spellings(day: int, hour: int) -> list[str]:
    """One time of January 2018 in every form platforms write."""
    return [
        f"2018-01-{day:02d} {hour:02d}:30:00",
        f"2018/1/{day} {hour}:30",
        f"2018.01.{day:02d} {hour:02d}:30",
        f"2018年1月{day}日 {hour}时30分",
        f"201801{day:02d}{hour:02d}3000",
        f"2018-01-{day:02d}T{hour:02d}:30:00+08:00",
        f"2018/01/{day:02d} {hour:02d}:30:00.123",
        f"01/{day:02d}/2018 {(hour - 1) % 12 + 1:02d}:30:00 {'AM' if hour < 12 else 'PM'}",
        f"2018-01-{day:02d}",
        str(43100 + day),
    ]


@st.composite
def times(draw, clean: bool, required: bool = False, days: tuple[int, int] = (11, 28)):
    if not required and draw(st.booleans()):
        return ""
    day, hour = draw(st.integers(*days)), draw(st.integers(0, 23))
    forms = spellings(day, hour)
    return forms[0] if clean else draw(st.sampled_from(forms))


@st.composite
def rows(draw):
    """Clean rows (the bulk path's to take), and now and then a row with one or two odd cells:
    one oddity at a time is what finds where the two paths part."""
    out = []
    for i in range(draw(st.integers(1, 4))):
        odd = (
            {draw(st.integers(0, 9)), *draw(st.lists(st.integers(0, 9), max_size=1))} if draw(st.booleans()) else set()
        )

        def pick(j: int, tidy: list[str], wild: list[str], odd: set = odd) -> str:
            return draw(st.sampled_from(wild if j in odd else tidy))

        pad = draw(st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\u2003", "\n", "\r\n"]))
        row = [
            pick(0, [f"C{i}"], ["C0", f"{pad}C{i}", f"C{i}{pad}", f"C{pad}{i}", "C" * 201]),
            pick(1, ["甲街道", " 甲街道 ", "甲街道办事处", "乙街道", "甲 街道"], ["无此街道", f"{pad}甲街道"]),
            pick(2, ["", "巡查", "12319"], [f" 巡查{pad}", f"巡{pad}查"]),
            draw(
                times(3 not in odd, required=True, days=(1, 12) if 3 in odd else (1, 10))
            ),  # closed before reported: now and then
            draw(times(4 not in odd)),
            draw(times(5 not in odd)),
            pick(6, ["", "0", "1", "3"], ["x", "-1", "1" * 20, "０", "1234567"]),
            pick(7, ["", "0", "2"], ["+1", " 2"]),
            pick(
                8,
                ["", "满意", "非常满意", "基本满意", "不满意", "未回访", "联系不上", " 满意 "],
                [f"满{pad}意", "还行", f"满意{pad}"],
            ),
        ]
        if 9 in odd:
            row.append(draw(st.sampled_from(["", " x", ","])))  # an extra trailing cell
        out.append(row)
    return out


OPTIONAL = ("source", "deadline", "closed_at", "extensions", "failed_checks", "satisfaction", "status",
            "force_closed_at", "disposed_at", "filed_at")
PROFILE = """name = "office"
columns = {{ "工单流水号" = "case_id" }}
period = "{period}"
closing = "{closing}"
[status]
void = ["废单"]
force_closed = ["强结"]
[satisfaction]
satisfied = ["好"]
unsatisfied = ["差"]
not_visited = ["未访"]
"""


@st.composite
def layouts(draw):
    """The fields a file carries, in its order, each under one of its accepted names; and how it
    is mapped: the built-in names, an office profile (chosen by its header), or ``--map``."""
    fields = ["case_id", "unit", "reported_at", *draw(st.lists(st.sampled_from(OPTIONAL), unique=True))]
    if "filed_at" in fields and draw(st.booleans()):
        fields.remove("reported_at")  # 立案 only: the case's period either way
    fields = draw(st.permutations(fields))
    names = {f: draw(st.sampled_from(ALL_COLUMNS[f])) for f in fields}
    how = draw(st.sampled_from(["names", "names", "profile", "map"]))
    profile = overrides = None
    if how == "profile":
        names["case_id"] = "工单流水号"
        profile = PROFILE.format(period=draw(st.sampled_from(["filed", "reported"])),
                                 closing=draw(st.sampled_from(["closed", "disposed"])))
    elif how == "map":
        field = draw(st.sampled_from(fields))
        names[field] = "自定列"
        overrides = {"自定列": field}
    return fields, names, profile, overrides


def value(draw, field: str, i: int, odd: bool, profile: bool) -> str:
    """One cell of row ``i`` (``odd``: a cell one path or both may refuse)."""
    pad = draw(st.sampled_from([" ", "\t", "\u3000", "\u00a0", "\u2003", "\n", "\r\n"]))

    def pick(tidy: list[str], wild: list[str]) -> str:
        return draw(st.sampled_from(wild if odd else tidy))

    answers = ["好", "差", "未访"] if profile else []
    cells = {
        "case_id": lambda: pick([f"C{i}"], ["C0", f"{pad}C{i}", f"C{i}{pad}", f"C{pad}{i}", "C" * 201]),
        "unit": lambda: pick(["甲街道", " 甲街道 ", "甲街道办事处", "乙街道", "甲 街道"], ["无此街道", f"{pad}甲街道"]),
        "source": lambda: pick(["", "巡查", "12319"], [f" 巡查{pad}", f"巡{pad}查"]),
        "reported_at": lambda: draw(times(not odd, required=True, days=(1, 12) if odd else (1, 10))),
        "filed_at": lambda: draw(times(not odd, required=True, days=(1, 12) if odd else (1, 10))),
        "deadline": lambda: draw(times(not odd)), "closed_at": lambda: draw(times(not odd)),
        "disposed_at": lambda: draw(times(not odd)), "force_closed_at": lambda: draw(times(not odd)),
        "extensions": lambda: pick(["", "0", "1", "3"], ["x", "-1", "1" * 20, "０", "1234567"]),
        "failed_checks": lambda: pick(["", "0", "2"], ["+1", " 2"]),
        "satisfaction": lambda: pick(
            ["", "满意", "非常满意", "基本满意", "不满意", "未回访", "联系不上", " 满意 ", *answers],
            [f"满{pad}意", "还行", f"满意{pad}"]),
        "status": lambda: pick(["", "结案", "作废", "[作废]", "【作废】", "强制结案", "处置中", "废单", "强结"],
                               [f"作废{pad}", "[[作废]", f"{pad}强结"]),
    }
    return cells[field]()


@st.composite
def case_files(draw):
    """A header and rows: clean rows, and now and then one with one or two odd cells (one oddity
    at a time is what finds where the two paths part)."""
    fields, names, profile, overrides = draw(layouts())
    out = [[names[f] for f in fields]]
    for i in range(draw(st.integers(1, 4))):
        odd = set(draw(st.lists(st.sampled_from([*fields, "extra"]), max_size=2))) if draw(st.booleans()) else set()
        row = [value(draw, f, i, f in odd, profile is not None) for f in fields]
        if "extra" in odd:
            row.append(draw(st.sampled_from(["", " x", ","])))  # an extra trailing cell
        out.append(row)
    return out, profile, overrides


def cell(text: str) -> str:
    return f'"{text.replace(chr(34), chr(34) * 2)}"' if any(c in text for c in ',"\r\n') else text


def outcome(store: Store, run) -> tuple:
    try:
        run()
    except (CaseImportRejected, KaoheError):
        return ("refused",)
    db = sqlite3.connect(store.path)
    try:
        return db.execute(CASES).fetchall(), db.execute(STATS).fetchall()
    finally:
        db.close()


@settings(max_examples=int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 60)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(data=rows(), ending=st.sampled_from(["\n", "\r\n", "\n", "\r"]))
def test_bulk_and_careful_paths_agree(scheme, tmp_path_factory, data, ending):
    agree(scheme, tmp_path_factory, [HEADER, *data], ending)


@settings(max_examples=int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 60)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(file=case_files())
def test_bulk_and_careful_paths_agree_on_every_layout(scheme, tmp_path_factory, file):
    lines, profile, overrides = file
    agree(scheme, tmp_path_factory, lines, "\n", profile, overrides)


AUDIT = "SELECT action, unit, old, new, reason FROM audit WHERE action = 'update-case' ORDER BY id"


@settings(max_examples=int(os.environ.get("KAOHE_PROPERTY_EXAMPLES", 60)), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(first=rows(), later=rows(), units=st.sampled_from(["甲街道", "乙街道"]))
def test_a_later_export_is_taken_alike_by_both_paths(scheme, tmp_path_factory, first, later, units):
    """A later export of cases already there (updates by id: another unit or month, now closed,
    an answer given …; new cases beside them) stores the same cases, counts and ``update-case``
    audit rows on the bulk path as on the careful one, or both refuse it."""
    folder = tmp_path_factory.mktemp("later")
    earlier = folder / "earlier.csv"
    earlier.write_text("\n".join(",".join(cell(c) for c in row) for row in [HEADER, *first]) + "\n", encoding="utf-8")
    path = folder / "later.csv"
    moved = [[row[0], units, *row[2:]] for row in later]  # the later export may move cases to one unit
    path.write_text("\n".join(",".join(cell(c) for c in row) for row in [HEADER, *moved]) + "\n", encoding="utf-8")
    bulk, careful = new_store(folder / "bulk.db", scheme), new_store(folder / "careful.db", scheme)
    for store in (bulk, careful):
        try:
            careful_import(store, scheme, earlier)
        except (CaseImportRejected, KaoheError):
            pass
    taken: list[bool] = []

    def bulk_first():
        taken.append(bulk_path(bulk, scheme, path, None) is not None)
        if not taken[0]:
            careful_import(bulk, scheme, path)

    first_outcome = outcome(bulk, bulk_first)
    second = outcome(careful, lambda: careful_import(careful, scheme, path))
    event(f"bulk path took the later export: {taken[0]}")
    assert first_outcome == second
    with sqlite3.connect(bulk.path) as one, sqlite3.connect(careful.path) as other:
        assert one.execute(AUDIT).fetchall() == other.execute(AUDIT).fetchall()


def agree(scheme, tmp_path_factory, lines, ending, profile=None, overrides=None):
    folder = tmp_path_factory.mktemp("paths")
    if profile:  # the office's own, beside the database
        (folder / "profiles").mkdir()
        (folder / "profiles" / "office.toml").write_text(profile, encoding="utf-8")
    path = folder / "cases.csv"
    path.write_bytes((ending.join(",".join(cell(c) for c in row) for row in lines) + ending).encode("utf-8"))
    bulk, careful = new_store(folder / "bulk.db", scheme), new_store(folder / "careful.db", scheme)
    taken: list[bool] = []

    def bulk_first():  # as `kaohe import` does: the bulk path, and the careful one when it refuses
        taken.append(bulk_path(bulk, scheme, path, None, overrides=overrides) is not None)
        if not taken[0]:
            careful_import(bulk, scheme, path, overrides=overrides)

    first = outcome(bulk, bulk_first)
    second = outcome(careful, lambda: careful_import(careful, scheme, path, overrides=overrides))
    event(f"bulk path took the file: {taken[0]}")
    assert first == second
