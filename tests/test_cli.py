"""The ``kaohe`` command as a user runs it against a temporary database file (in-process, as a
fresh process would run it: see conftest.Kaohe)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import openpyxl
import pytest

from conftest import FIXTURES, Kaohe, count_rows


def test_plugin_folder_scheme_appears(k):
    schemes = {s["id"]: s for s in k.json("schemes")}
    assert schemes["fixture"]["plugin"] == "fixture_scheme"
    assert schemes["fixture"]["units"] == 3
    assert schemes["fixture"]["periods"] == ["2018"]


def test_rules_prints_every_clause(k):
    out = k.run("rules", "fixture").stdout
    for text in ("工作纪律", "10分", "[late] 出现迟到早退的有一例扣0.5分", "不得分", "责任：人教科、党委办"):
        assert text in out
    tree = k.json("rules", "fixture")
    leaf = tree["trees"][0]["indicators"][0]["children"][0]
    assert leaf["path"] == "基础管理/工作纪律" and [c["id"] for c in leaf["clauses"]] == ["no-ledger", "late", "absent"]


def test_record_score_explain(k):
    k.record(
        "fixture", period="2018Q1", unit="党办", indicator="工作纪律", clause="late", count=3, reason="一季度迟到3次"
    )
    k.record(
        "fixture",
        period="2018-05",
        unit="侨办(侨联)",
        indicator="基础管理/环境卫生",
        clause="dirty",
        reason="5月卫生检查",
    )
    k.record("fixture", period="2018", unit="财审科", indicator="特别附加分", amount=1.5, reason="省级表彰")
    results = k.json("score", "fixture", "--period", "2018")
    assert [set(r) for r in results] == [{"unit", "category", "total", "rank", "indicators", "flags"}] * 3
    by_unit = {r["unit"]: r for r in results}
    # 财审科: 12 + bonus 1.5 = 13.5 (a bonus may take the total above full marks)
    assert by_unit["财审科"]["total"] == 13.5 and by_unit["财审科"]["rank"] == 1
    # 侨办（侨联）: 12 − 0.5 = 11.5 — the half-width name matched the full-width one
    assert by_unit["侨办（侨联）"]["indicators"] == {"基础管理": 11.5, "特别附加分": 0}
    # 党委办 via its alias 党办: 12 − 3×0.5 = 10.5
    assert by_unit["党委办"]["total"] == 10.5 and by_unit["党委办"]["rank"] == 3
    assert [r["unit"] for r in results] == ["财审科", "侨办（侨联）", "党委办"]  # ranked

    explain = k.run("explain", "fixture", "--period", "2018", "--unit", "党办").stdout
    assert "出现迟到早退的有一例扣0.5分（3×0.5）" in explain and "记录#1" in explain and "-1.5" in explain

    # a quarter holds only its own records: Q2 has the May deduction only
    q2 = {r["unit"]: r["total"] for r in k.json("score", "fixture", "--period", "2018Q2")}
    assert q2 == {"财审科": 12, "党委办": 12, "侨办（侨联）": 11.5}


def test_ties_share_a_rank(k):
    k.record("fixture", period="2018", unit="党委办", indicator="环境卫生", clause="dirty", reason="a")
    k.record("fixture", period="2018", unit="财审科", indicator="环境卫生", clause="dirty", reason="b")
    ranks = {r["unit"]: r["rank"] for r in k.json("score", "fixture", "--period", "2018")}
    # 侨办 12 → 1; 党委办 and 财审科 both 11.5 → both 2
    assert ranks == {"侨办（侨联）": 1, "党委办": 2, "财审科": 2}


@pytest.mark.parametrize("args,message", [
    (["--unit", "丙科"], "单位：“丙科”不是本方案的单位"),
    (["--unit", "党委", "--period", "2019"], "期间：2019 不是本方案的考核期间"),
    (["--indicator", "环境"], "指标：“环境”不是本方案的指标"),
    (["--clause", "dirt"], "条款：“dirt”不是「基础管理/环境卫生」的条款（可选：dirty）"),
    (["--count", "-2"], "次数：“-2”须为不小于0的整数"),
    (["--count", "1.5"], "次数：“1.5”须为不小于0的整数"),
    (["--date", "2017-12-31"], "日期：2017-12-31 不在期间 2018"),
    (["--date", "2018/01/01"], "日期请写成 YYYY-MM-DD"),
    (["--reason", "   "], "事由：每条记录都须写明事由"),
    (["--reason", "bad\x07bell"], "事由：含控制字符"),
    (["--indicator", "基础管理"], "由其下各项合成"),
])
def test_bad_record_one_line_no_write(k, args, message):
    base = {"--period": "2018", "--unit": "党委办", "--indicator": "环境卫生", "--clause": "dirty", "--reason": "检查"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    k.run("schemes")  # create the database first
    proc = k.run("record", "fixture", *[x for pair in base.items() for x in pair], ok=False)
    assert proc.returncode == 2
    assert message in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert count_rows(k.db) == 0


def test_unknown_unit_suggests_nearest(k):
    proc = k.run("record", "fixture", "--period", "2018", "--unit", "侨办", "--indicator", "环境卫生",
                 "--clause", "dirty", "--reason", "x", ok=False)
    assert "是否指：侨办（侨联）" in proc.stderr


def test_withdraw_keeps_the_record_visible(k):
    rid = k.record("fixture", period="2018", unit="党委办", indicator="工作纪律", clause="absent", reason="旷工")
    k.run("withdraw", "fixture", str(rid), "--reason", "补办请假手续")
    assert k.score("fixture", "2018")["党委办"]["total"] == 12
    ledger = k.json("ledger", "fixture", "--period", "2018")
    assert ledger[0]["withdrawn"] is True and ledger[0]["withdrawn_reason"] == "补办请假手续"
    assert "已撤回（补办请假手续）" in k.run("ledger", "fixture", "--period", "2018").stdout
    history = k.json("history")
    assert [h["action"] for h in history][-2:] == ["record", "withdraw"]
    assert history[-1]["reason"] == "补办请假手续"


def write_csv(path: Path, text: str, encoding: str) -> Path:
    path.write_bytes(text.encode(encoding))
    return path


LEDGER = ("单位,指标,条款,次数,分值,数值,期间,日期,事由\n"
          "党办,工作纪律,late,2,,,2018Q1,2018-02-01,迟到\n"
          "财审科,环境卫生,dirty,,,,2018,,卫生\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_import_csv_encodings(k, tmp_path, encoding):
    path = write_csv(tmp_path / "ledger.csv", LEDGER, encoding)
    assert "已导入2条记录" in k.run("import", "fixture", str(path)).stdout
    scores = k.score("fixture", "2018")
    # 党委办 12 − 2×0.5 = 11; 财审科 12 − 0.5 = 11.5
    assert scores["党委办"]["total"] == 11 and scores["财审科"]["total"] == 11.5


def test_import_xlsx_with_english_headers(k, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["unit", "indicator", "clause", "count", "period", "reason"])
    sheet.append(["侨办(侨联)", "工作纪律", "absent", 2, "2018", "旷工"])
    book.save(tmp_path / "l.xlsx")
    k.run("import", "fixture", str(tmp_path / "l.xlsx"))
    assert k.score("fixture", "2018")["侨办（侨联）"]["total"] == 10  # 12 − 2×1


def test_import_all_or_nothing_then_skip_invalid(k, tmp_path):
    text = LEDGER + "丙科,工作纪律,late,1,,,2018,,x\n党委办,工作纪律,late,1,,,2018,2019-01-01,y\n"
    path = write_csv(tmp_path / "bad.csv", text, "utf-8")
    proc = k.run("import", "fixture", str(path), ok=False)
    assert "bad.csv：第4行，「单位」列：单位：“丙科”" in proc.stderr
    assert "bad.csv：第5行，「日期」列：日期：2019-01-01 不在期间" in proc.stderr
    assert count_rows(k.db) == 0
    out = k.run("import", "fixture", str(path), "--skip-invalid").stdout
    assert "已导入2条记录；2行无效已跳过" in out
    rejected = (tmp_path / "bad.rejected.csv").read_text(encoding="utf-8-sig")
    assert "丙科" in rejected and "原因" in rejected
    # importing the same file again: the good rows are now duplicates
    proc = k.run("import", "fixture", str(path), ok=False)
    assert "重复：同样的记录已在台账记录 #" in proc.stderr


def test_import_bad_files(k, tmp_path):
    empty = write_csv(tmp_path / "empty.csv", "", "utf-8")
    assert "文件是空的" in k.run("import", "fixture", str(empty), ok=False).stderr
    nohead = write_csv(tmp_path / "nohead.csv", "名称,分数\n甲,1\n", "utf-8")
    assert "缺少列 unit/单位" in k.run("import", "fixture", str(nohead), ok=False).stderr
    latin = tmp_path / "latin.csv"
    latin.write_bytes(b"\xff\xfe\x00\x00garbage\x81\xff")
    assert "不是 UTF-8 或 GBK 文本" in k.run("import", "fixture", str(latin), ok=False).stderr
    assert "nope.csv：文件不存在" in k.run("import", "fixture", str(tmp_path / "nope.csv"), ok=False).stderr


def test_export_formats(k, tmp_path):
    k.record("fixture", period="2018", unit="党委办", indicator="工作纪律", clause="late", reason="=HYPERLINK(\"x\")")
    k.run("export", "fixture", "--period", "2018", "--format", "xlsx", "-o", str(tmp_path / "r.xlsx"))
    sheet = openpyxl.load_workbook(tmp_path / "r.xlsx").active
    assert sheet.title == "排名"
    header = [c.value for c in sheet[2]]
    assert header == ["排名", "单位", "基础管理", "特别附加分", "总分", "标记"]  # no categories: no 类别 column
    rows = {r[1]: r for r in sheet.iter_rows(min_row=3, values_only=True)}
    assert rows["党委办"][4] == 11.5 and isinstance(rows["党委办"][4], float)  # numbers stay numbers
    assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4)

    k.run("export", "fixture", "--period", "2018", "--format", "csv", "-o", str(tmp_path / "r.csv"))
    raw = (tmp_path / "r.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "党委办".encode() in raw
    k.run("export", "fixture", "--period", "2018", "--format", "csv-gbk", "-o", str(tmp_path / "g.csv"))
    assert "党委办" in (tmp_path / "g.csv").read_bytes().decode("gbk")
    k.run("export", "fixture", "--period", "2018", "--format", "json", "-o", str(tmp_path / "r.json"))
    data = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert data["results"][-1]["unit"] == "党委办" and data["results"][-1]["total"] == 11.5

    pdf = k.run("export", "fixture", "--period", "2018", "--format", "pdf", "-o", "x", ok=False)
    assert "--format pdf：应为以下之一：" in pdf.stderr
    assert (
        "x.xlsx：文件夹 " + str(tmp_path / "no") + " 不存在"
        in k.run("export", "fixture", "--period", "2018", "-o", str(tmp_path / "no" / "x.xlsx"), ok=False).stderr
    )


def test_lint_and_plugins(k, tmp_path):
    assert "通过：fixture" in k.run("lint", "fixture").stdout
    info = k.json("plugins")
    assert any(p["name"] == "fixture_scheme" and "kaohe_schemes" in p["hooks"] for p in info["plugins"])
    assert info["failed"] == []


def test_broken_plugins_reported_others_work(db_path):
    k = Kaohe(db_path, [FIXTURES / "core_plugin", FIXTURES / "broken_plugin"])
    info = k.json("plugins")
    failed = {f["plugin"]: f for f in info["failed"]}
    assert "this plugin is broken on purpose" in failed["explodes"]["error"] and failed["explodes"]["where"] == "import"
    assert failed["hook_raises"]["where"] == "kaohe_schemes"
    # the rest keep working; the first opening seeds the database, and a seed hook that fails
    # half-way is reported
    first = k.run("schemes", "--json")
    assert "fixture" in {s["id"] for s in json.loads(first.stdout)}
    assert "seed_raises（kaohe_seed）：出错：RuntimeError：seed failed half-way（" in first.stderr
    proc = k.run("schemes")
    assert "插件加载失败：explodes" in proc.stderr
    # the failing seed's half-written row was rolled back with it
    assert "半途写入" not in {u["name"] for u in k.json("units", "fixture")}


def test_plugins_dir_from_environment(db_path, monkeypatch):
    monkeypatch.setenv("KAOHE_PLUGINS_DIR", str(FIXTURES / "core_plugin"))
    assert "fixture" in {s["id"] for s in Kaohe(db_path).json("schemes")}


def test_audit_is_append_only(k):
    k.record("fixture", period="2018", unit="党委办", indicator="工作纪律", clause="late", reason="x")
    with sqlite3.connect(k.db) as conn:
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("UPDATE audit SET reason = 'changed'")
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute("DELETE FROM audit")
        with pytest.raises(sqlite3.DatabaseError, match="never deleted"):
            conn.execute("DELETE FROM records")


def test_backup_and_restore(k, tmp_path):
    k.record("fixture", period="2018", unit="党委办", indicator="工作纪律", clause="late", reason="x")
    k.run("backup", str(tmp_path / "b.db"))
    k.record("fixture", period="2018", unit="党委办", indicator="工作纪律", clause="late", reason="y")
    assert count_rows(k.db) == 2
    k.run("restore", str(tmp_path / "b.db"))
    assert count_rows(k.db) == 1
    assert (tmp_path / "b.db").stat().st_mode & 0o077 == 0  # readable by the owner only
    not_db = tmp_path / "x.db"
    not_db.write_text("hello")
    assert "not" in k.run("restore", str(not_db), ok=False).stderr


def test_database_file_is_private_and_wal(k):
    k.run("schemes")
    assert k.db.stat().st_mode & 0o077 == 0
    with sqlite3.connect(k.db) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_period_forms(k):
    assert k.run("score", "fixture", "--period", "2018Q5", ok=False).stderr == (
        "kaohe: 期间：“2018Q5”：请写年份（2018）、季度（2018Q1）或月份（2018-03）\n")
    assert "期间：“18-03”：请写年份" in k.run("score", "fixture", "--period", "18-03", ok=False).stderr
    assert k.json("score", "fixture", "--period", "2018-03")[0]["total"] == 12


def test_unknown_scheme(k):
    proc = k.run("score", "nope", "--period", "2018", ok=False)
    assert "方案“nope”未加载（已有：" in proc.stderr and "fixture" in proc.stderr


def test_export_ledger_and_audit_round_trip(k, tmp_path, db_path):
    k.record("fixture", period="2018Q1", unit="党办", indicator="工作纪律", clause="late", count=3, reason="迟到")
    rid = k.record("fixture", period="2018", unit="财审科", indicator="工作纪律", clause="absent", reason="旷工")
    k.record(
        "fixture", period="2018", unit="财审科", indicator="特别附加分", amount=2, reason="@表彰", attr="证书=省级"
    )
    k.run("withdraw", "fixture", str(rid), "--reason", "误录")
    before = k.json("score", "fixture", "--period", "2018")
    out = tmp_path / "ledger.csv"
    assert "已导出 fixture 的台账3行" in k.run("export", "fixture", "--period", "2018", "--what", "ledger",
                                                "--format", "csv", "-o", str(out)).stdout
    text = out.read_text(encoding="utf-8-sig")
    assert "出现迟到早退的有一例扣0.5分" in text and "已撤回" in text and "'@表彰" in text  # formula-safe
    # the exported ledger imported as it is into an empty database gives the same scores
    # (withdrawn rows stay out; the formula guard comes off)
    fresh = Kaohe(tmp_path / "fresh.db", [FIXTURES / "core_plugin"])
    assert "已导入2条记录" in fresh.run("import", "fixture", str(out)).stdout
    assert fresh.json("score", "fixture", "--period", "2018") == before
    bonus = next(r for r in fresh.json("ledger", "fixture", "--period", "2018") if r["reason"] == "@表彰")
    assert bonus["attrs"] == {"证书": "省级"}
    k.run(
        "export", "fixture", "--period", "2018", "--what", "audit", "--format", "xlsx", "-o", str(tmp_path / "a.xlsx")
    )
    sheet = openpyxl.load_workbook(tmp_path / "a.xlsx").active
    actions = [row[3] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert actions.count("record") == 3 and "withdraw" in actions


def test_world_writable_plugin_folder_refused(db_path, tmp_path):
    import shutil

    folder = tmp_path / "shared_plugins"
    shutil.copytree(FIXTURES / "core_plugin", folder)
    folder.chmod(0o777)
    k = Kaohe(db_path, [folder])
    proc = k.run("plugins", "--json")
    failed = json.loads(proc.stdout)["failed"]
    assert failed and "人人可写" in failed[0]["error"]
    assert "已拒绝加载" in proc.stderr
    assert "fixture" not in {s["id"] for s in k.json("schemes")}  # its code never ran
    folder.chmod(0o755)
    assert "fixture" in {s["id"] for s in k.json("schemes")}


def test_dated_yearly_record_counts_in_its_quarter_and_month(k):
    k.record(
        "fixture",
        period="2018",
        date="2018-05-10",
        unit="党委办",
        indicator="工作纪律",
        clause="absent",
        reason="5月旷工",
    )
    # 12 − 1 = 11 in the year, in 2018Q2 and in 2018-05 (the record's date), not in Q1 or June
    totals = {p: k.score("fixture", p)["党委办"]["total"] for p in ("2018", "2018Q1", "2018Q2", "2018-05", "2018-06")}
    assert totals == {"2018": 11, "2018Q1": 12, "2018Q2": 11, "2018-05": 11, "2018-06": 12}
    assert len(k.json("ledger", "fixture", "--period", "2018Q2")) == 1
