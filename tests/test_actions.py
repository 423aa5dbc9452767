"""The core action layer (kaohe_tui.actions) against a real SQLite file, and that both faces show
what it returns. The fixture scheme (tests/fixtures/tui_plugin/tui_fixture.toml) has units 党委办
(alias 党办), 侨办（侨联）, 城建监察大队（政策法规科）, 财审科; 工作纪律 has clauses late/absent;
its plugin names the unit attribute ``community`` 挂钩社区 (hook ``kaohe_unit_attributes``)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kaohe_tui import catalog, cli, plugins
from kaohe_tui.actions.importing import import_file
from kaohe_tui.actions.listing import display_title, scheme_summaries, unit_columns
from kaohe_tui.row_errors import RowError
from kaohe_tui.store import Store
from kaohe_tui.units import ensure_registered, load_units

FIXTURE = Path(__file__).parent / "fixtures" / "tui_plugin"
SCHEME = "tui-fixture"
BAD = ("单位,指标,条款,次数,期间,事由\n"
       "党委办,工作纪律,late,2,2018Q1,迟到2次\n"
       "不存在科,工作纪律,late,1,2018Q1,迟到\n"
       "财审科,工作纪律,late,x,2018Q2,迟到\n")


@pytest.fixture
def fixture_store(db_path, only_test_plugins) -> Store:
    plugins.load_plugins([str(FIXTURE)])
    store = Store(db_path)
    ensure_registered(store)
    return store


def count(db: Path, sql: str) -> int:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchone()[0]


def test_a_refused_ledger_row_comes_back_as_fields_and_nothing_is_written(fixture_store, db_path, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    outcome = import_file(fixture_store, catalog.get(SCHEME), path)
    assert (outcome.kind, outcome.written) == ("ledger", False)
    assert [(r.file, r.row, r.column) for r in outcome.rejected] == [(str(path), 3, "单位"), (str(path), 4, "次数")]
    assert "不存在科" in outcome.rejected[0].reason and "“x”不是数字" in outcome.rejected[1].reason
    assert outcome.headline.code == "import_rejected" and outcome.headline.fields["rejected"] == 2
    assert outcome.headline.text() == "2行无效，未导入任何记录"
    assert count(db_path, "SELECT count(*) FROM records") == 0


def test_skip_invalid_imports_the_rest_and_says_where_the_refused_rows_went(fixture_store, db_path, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    outcome = import_file(fixture_store, catalog.get(SCHEME), path, skip_invalid=True)
    rejects = tmp_path / "bad.rejected.csv"
    assert outcome.written and outcome.rejects_file == rejects and rejects.exists()
    assert outcome.headline.fields == {"imported": 1, "rejected": 2, "rejects_file": rejects}
    assert outcome.lines() == [f"已导入1条记录；2行无效已跳过，见 {rejects}"]
    assert count(db_path, "SELECT count(*) FROM records") == 1


def test_a_refused_unit_list_is_rows_too(fixture_store, db_path, tmp_path):
    path = tmp_path / "units.csv"
    path.write_text("单位,类别\n新科室,一类\n,一类\n新科室,二类\n", encoding="utf-8")
    before = count(db_path, "SELECT count(*) FROM units")
    outcome = import_file(fixture_store, catalog.get(SCHEME), path, kind="units")
    assert (outcome.kind, outcome.written) == ("units", False)
    assert [r.row for r in outcome.rejected] == [3, 4]  # an empty name; a name already on row 2
    assert outcome.headline.text() == "2行无效，未导入任何单位"
    assert count(db_path, "SELECT count(*) FROM units") == before


def test_the_cli_prints_the_same_rows_and_headline(fixture_store, tmp_path, capsys, db_path):
    path = tmp_path / "bad.csv"
    path.write_text(BAD, encoding="utf-8")
    assert cli.main(["--db", str(db_path), "--plugins-dir", str(FIXTURE), "import", SCHEME, str(path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err[0].startswith(f"{path}：第3行，「单位」列：") and "不存在科" in err[0]
    assert err[1] == f"{path}：第4行，「次数」列：次数：“x”不是数字"
    assert (
        err[2]
        == f"kaohe: {path}：2行无效，未导入任何记录（加 --skip-invalid 导入其余各行，无效行写入旁边的 .rejected.csv）"
    )


def test_row_errors_read_as_the_line_a_user_has_always_read():
    assert RowError("a.csv", 3, "单位：…", "单位") == "a.csv：第3行，「单位」列：单位：…"
    assert RowError("a.csv", 7, "x") == "a.csv：第7行：x"
    assert RowError("a.csv", None, "items add up to 28") == "a.csv：items add up to 28"


def test_scheme_summaries_count_units_and_records_and_mark_sample_titles(db_path):
    plugins.load_plugins()
    store = Store(db_path)
    ensure_registered(store)
    rows = {r.id: r for r in scheme_summaries(store)}
    # street-linkage: its 13 units are examples (the document names none) — the title says so
    street = rows["street-linkage"]
    assert street.sample and street.display_title == street.title + "（示例单位）" == display_title(
        catalog.get("street-linkage")
    )
    assert street.units == 13 and street.records == 0
    bureau = rows["bureau-departments"]
    assert not bureau.sample and bureau.display_title == bureau.title


async def test_a_plugins_unit_attribute_is_a_column_in_both_faces(fixture_store, db_path, capsys):
    # the action: the plugin's title for its key
    units = load_units(fixture_store, catalog.get(SCHEME))
    assert unit_columns(catalog.get(SCHEME), units)[0] == ("community", "挂钩社区")
    # the CLI's table
    assert cli.main(["--db", str(db_path), "--plugins-dir", str(FIXTURE), "units", SCHEME]) == 0
    out = capsys.readouterr().out
    header = next(line for line in out.splitlines() if "考核扎口科室" in line)
    assert "挂钩社区" in header and "community" not in out
    党委办 = next(line for line in out.splitlines() if "党委办" in line)
    assert "湖塘社区" in 党委办
    # the TUI's units view
    from conftest import make_app, open_scheme

    app = make_app(db_path)
    async with app.run_test(size=(120, 30)) as pilot:
        await open_scheme(pilot)
        table = app.screen.query_one("#units")
        assert "挂钩社区" in [str(c.label) for c in table.columns.values()]


def test_the_record_form_asks_the_core_what_it_may_offer(fixture_store):
    from kaohe_tui.actions.recording import clause_required, figure_for, recordable_indicators

    scheme = catalog.get(SCHEME)
    offered = recordable_indicators(scheme, "一类")
    # 基础管理 is the sum of its two parts: records go on the parts, never on it
    assert [path for path, _ in offered] == ["基础管理/工作纪律", "基础管理/环境卫生", "特别附加分"]
    discipline, bonus = offered[0][1], offered[2][1]
    assert figure_for(discipline, discipline.clause("late")) == "count"  # 有一例扣0.5分: occurrences
    assert figure_for(bonus, None) == "amount"  # a bonus is the points approved
    assert not clause_required(bonus)


def test_a_clause_with_a_range_takes_the_amount():
    from kaohe_tui.actions.recording import figure_for
    from kaohe_tui.scheme import resolve_indicator

    plugins.load_plugins()
    # street-linkage's 部分未达到…酌情扣分 has a range (0.1–0.5): the amount deducted is written
    street = catalog.get("street-linkage")
    _, node = resolve_indicator(street.tree(None), "工作汇报制度")
    assert figure_for(node, node.clause("partly")) == "amount"
    assert figure_for(node, node.clause("unmet")) == "count"


def test_period_arithmetic_lives_on_period():
    import datetime as dt

    from kaohe_tui.periods import Period

    # months 1–3 are Q1, 4–6 Q2, 7–9 Q3, 10–12 Q4
    assert [str(Period.quarter_of(2018, m)) for m in (1, 3, 4, 6, 7, 9, 10, 12)] == \
        ["2018Q1", "2018Q1", "2018Q2", "2018Q2", "2018Q3", "2018Q3", "2018Q4", "2018Q4"]
    assert str(Period.of_date(dt.date(2018, 8, 31), "quarter")) == "2018Q3"
    assert str(Period.of_date(dt.date(2018, 8, 31))) == "2018-08"
    assert Period.parse("2018-11").quarter == Period.parse("2018Q4") and Period.parse("2018").quarter is None
    assert [str(p) for p in Period.parse("2018-05").enclosing()] == ["2018", "2018Q2"]
    assert [str(p) for p in Period.parse("2018Q2").enclosing()] == ["2018"] and Period.parse("2018").enclosing() == []
    assert [str(q) for q in Period.parse("2018-08").quarters()] == ["2018Q1", "2018Q2", "2018Q3"]
