"""Hostile and random input to the loaders: only clear KaoheErrors, never a traceback, never a
partial write."""

from __future__ import annotations

import csv
import io
import tempfile
import tomllib
from pathlib import Path

import tomli_w
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import load_core_scheme, new_store
from kaohe_tui.errors import KaoheError
from kaohe_tui.io.ledger_import import import_ledger
from kaohe_tui.scheme import save_scheme
from kaohe_tui.scheme_files import load_scheme, scheme_from_dict

FIXTURES = Path(__file__).parent / "fixtures"
HOSTILE = [
    "党委办",
    "党办",
    "侨办(侨联)",
    "工作纪律",
    "late",
    "absent",
    "2018",
    "2018Q1",
    "2018-13",
    "=1+1",
    "@SUM(A1)",
    "'; DROP TABLE records; --",
    "\x00\x07",
    "a" * 3000,
    "-1",
    "1.5",
    "1e308",
    "NaN",
    "",
    " ",
    "２０１８",
    "环境卫生",
]
cell = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=30))
headers = st.lists(
    st.sampled_from(["单位", "指标", "条款", "次数", "分值", "数值", "期间", "日期", "事由", "unit", "x", ""]),
    min_size=1,
    max_size=9,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                  HealthCheck.too_slow])
@given(
    header=headers,
    rows=st.lists(st.lists(cell, min_size=1, max_size=9), max_size=6),
    encoding=st.sampled_from(["utf-8", "gbk"]),
)
def test_ledger_import_never_crashes_nor_half_writes(header, rows, encoding):
    scheme = load_core_scheme("fixture")
    with tempfile.TemporaryDirectory() as folder:
        store = new_store(Path(folder) / "f.db")
        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(header)
        writer.writerows(rows)
        path = Path(folder) / "in.csv"
        try:
            path.write_bytes(buf.getvalue().encode(encoding, errors="replace"))
        except UnicodeEncodeError:
            return
        before = store.db["records"].count
        try:
            report = import_ledger(store, scheme, path)
        except KaoheError as exc:
            assert str(exc)  # a message, not a traceback
            assert store.db["records"].count == before
            store.close()
            return
        if report.rejected:
            assert store.db["records"].count == before  # all or nothing
        else:
            assert store.db["records"].count == before + report.imported
        store.close()


toml_values = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-5, 200),
        st.floats(allow_nan=False, allow_infinity=False),
        st.sampled_from(["per_occurrence", "sum", "rank_bands", "bonus", "undefined", "x", "工作纪律"]),
        st.text(max_size=8),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.sampled_from(
                [
                    "name",
                    "points",
                    "rule",
                    "params",
                    "clauses",
                    "children",
                    "id",
                    "text",
                    "per",
                    "zero",
                    "min",
                    "max",
                    "bands",
                    "ladder",
                ]
            ),
            children,
            max_size=5,
        ),
    ),
    max_leaves=20,
)
scheme_dicts = st.fixed_dictionaries(
    {"id": st.text(min_size=1, max_size=5), "title": st.text(max_size=5)},
    optional={"indicators": st.lists(toml_values, max_size=3), "units": st.lists(toml_values, max_size=2),
              "categories": st.lists(toml_values, max_size=2), "total": toml_values, "periods": toml_values},
)


@settings(max_examples=150, deadline=None)
@given(raw=scheme_dicts)
def test_scheme_loader_gives_messages_not_tracebacks(raw):
    try:
        scheme_from_dict(raw, "fuzz.toml")
    except KaoheError as exc:
        assert "fuzz.toml" in str(exc)


@settings(max_examples=60, deadline=None)
@given(raw=scheme_dicts)
def test_scheme_files_round_trip_or_refuse(raw):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "s.toml"
        try:
            path.write_text(tomli_w.dumps({k: v for k, v in raw.items() if v is not None}), encoding="utf-8")
        except (TypeError, ValueError):
            path.write_bytes(repr(raw).encode("utf-8", errors="replace"))
        try:
            scheme = load_scheme(path)
        except KaoheError as exc:
            assert str(exc).startswith(f"{path}：")
            return
        again = Path(folder) / "again.toml"  # accepted: saving and loading it again changes nothing
        save_scheme(scheme, again)
        assert load_scheme(again).model_dump() == scheme.model_dump()


@settings(max_examples=40, deadline=None)
@given(data=st.binary(max_size=200))
def test_scheme_loader_on_arbitrary_bytes(data):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "b.toml"
        path.write_bytes(data)
        try:
            scheme = load_scheme(path)
        except KaoheError as exc:  # refused: one line naming the file
            assert str(exc).startswith(f"{path}：") and "\n" not in str(exc)
            return
    # accepted: then the bytes were UTF-8 TOML, and the scheme is the one they declare
    assert scheme.id == tomllib.loads(data.decode("utf-8"))["id"]
