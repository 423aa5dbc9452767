"""Scheme ``district-categories`` (武城委办发〔2017〕8号) through the real ``kaohe`` command.

Expected scores are worked out by hand from the document:
- 二类: annual value 1; 被通报1次的，扣除年度分值0.5分；被通报2次的，年度分值全部扣除.
- 三类: annual value 0.5; 年度达不到工作要求的，从年度分值中扣除0.1—0.5分不等.
"""

from __future__ import annotations

import csv
import importlib
import unicodedata
from pathlib import Path

import pytest

SCHEME = "district-categories"
DATA = Path(__file__).resolve().parents[1] / "data" / "district-categories"
LEDGER_COLUMNS = ["unit", "indicator", "clause", "count", "amount", "value", "period", "date", "reason", "attrs"]


def write_ledger(path: Path, rows: list[dict]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=LEDGER_COLUMNS)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: row.get(k, "") for k in LEDGER_COLUMNS})
    return path


def notice(unit: str, clause: str, date: str, reason: str = "通报") -> dict:
    row = {"unit": unit, "indicator": "通报", "clause": clause, "period": date[:7], "date": date, "reason": reason}
    if clause.startswith("recurrence"):  # which problem recurred must be named (issue 14)
        row["attrs"] = f"问题={reason.removesuffix('复现')}"
    return row


def ledger_size(kaohe) -> int:
    return len(kaohe.json("ledger", SCHEME, "--period", "2017"))


# -- the scheme as written -----------------------------------------------------------------------
def test_rules_tree_names_every_cause_and_the_ladder(kaohe):
    tree = kaohe.run("rules", SCHEME).stdout
    for cause in (
        "被媒体曝光的",
        "推卸工作责任的",
        "核查时，发现问题未整改的",
        "整改后，问题反复出现的（一个月内3次及以上）",
    ):
        assert cause in tree
    assert "被通报1次的，扣除年度分值0.5分；被通报2次的，年度分值全部扣除。" in tree
    assert "年度达不到工作要求的，从年度分值中扣除0.1—0.5分不等" in tree
    assert "4月5日前将分管领导及联络员名单（加盖公章）传真至区城管委办公室" in tree
    assert "每季度第一个月5日前" in tree and "至少10条有效问题和建议" in tree
    rules = kaohe.json("rules", SCHEME)
    assert {c["name"]: c["value"] for c in rules["categories"]} == {"一类": 2, "二类": 1, "三类": 0.5}
    trees = {t["category"]: t["indicators"] for t in rules["trees"]}
    ladder = trees["二类"][0]
    assert ladder["rule"] == "notice_ladder" and ladder["params"]["ladder"] == [[1, 0.5], [2, "all"]]
    shortfall = next(i for i in trees["三类"] if i["rule"] == "range_deduction")["clauses"][0]
    assert (shortfall["min"], shortfall["max"]) == (0.1, 0.5)
    # 一类's rules are in 武政发〔2017〕55号, not among the sources: declared, not invented.
    assert [i["rule"] for i in trees["一类"]] == ["undefined"]


def test_lint_passes_and_reports_the_data_anomalies(kaohe):
    proc = kaohe.run("lint", SCHEME)
    warnings = [line for line in proc.stdout.splitlines() if line.startswith("提示：")]
    text = "\n".join(warnings)
    assert "第53行，序号：52 与第52行重复" in text  # 文联 printed as 52 (53 missing)
    assert "十里社区 与第19行重复" in text  # 台办 and 工商联
    assert "东新社区 与第53行重复" in text  # 文联 and 残联
    assert "第38行" in text and "侨办(侨联)" in text and "半角括号" in text
    assert f"通过：{SCHEME}" in proc.stdout


def test_units_are_the_documents_lists(kaohe):
    units = kaohe.json("units", SCHEME)
    by_category: dict[str, list] = {}
    for u in units:
        by_category.setdefault(u["category"], []).append(u)
    assert len(by_category["二类"]) == 14 and len(by_category["三类"]) == 56
    assert "一类" not in by_category  # its units are in 武政发〔2017〕55号
    attrs = {u["name"]: u["attrs"] for u in units}
    assert attrs["台办"] == {"挂钩社区": "十里社区", "社区所在镇、开发区": "高新区北区"}
    assert attrs["文联"] == {"挂钩社区": "东新社区", "社区所在镇、开发区": "湖塘镇"}
    assert attrs["残联"]["挂钩社区"] == "东新社区"
    # The body list and 附件1 name the same 56 units once NFKC-normalised.
    def nfkc(s: str) -> str:
        return unicodedata.normalize("NFKC", s).strip()

    with (DATA / "category3_units.csv").open(encoding="utf-8") as fh:
        body = [nfkc(r["单位"]) for r in csv.DictReader(fh)]
    assert sorted(body) == sorted(nfkc(u["name"]) for u in by_category["三类"])


def test_unit_attribute_columns_hook():
    from kaohe_tui import catalog, plugins

    scheme = catalog.get(SCHEME)
    columns = [c for found in plugins.call("kaohe_unit_attributes", scheme=scheme) for c in found]
    assert ("挂钩社区", "挂钩社区") in columns and ("社区所在镇、开发区", "所在镇") in columns


def test_bracket_forms_and_aliases_name_the_same_unit(kaohe):
    # 附件1 writes 侨办(侨联) (half-width, trailing space), the body list 侨办（侨联）.
    for written in ("侨办（侨联）", "侨办(侨联)", "侨联"):
        kaohe.record(SCHEME, period="2017-03", unit=written, indicator="报送问题建议", value=4, reason=f"写作{written}")
    rows = kaohe.json("ledger", SCHEME, "--period", "2017", "--unit", "侨办（侨联）")
    assert [r["unit"] for r in rows] == ["侨办(侨联)"] * 3
    # 3 records in March add up: 4 + 4 + 4 = 12 ≥ 10, so March is not short.
    flags = kaohe.score(SCHEME, "2017-03")["侨办(侨联)"]["flags"]
    assert not any(f.startswith("报送问题建议") for f in flags)
    proc = kaohe.run("record", SCHEME, "--period", "2017", "--unit", "侨办侨联", "--indicator", "年度扣分",
                     "--clause", "shortfall", "--amount", "0.1", "--reason", "x", ok=False)
    assert "侨办(侨联)" in proc.stderr  # the near miss is suggested, nothing recorded
    assert ledger_size(kaohe) == 3


# -- 二类: the notice ladder ---------------------------------------------------------------------
def test_notice_ladder(kaohe, tmp_path):
    rows = [
        notice("卫计局", "media", "2017-03-02", "被《武进日报》曝光"),
        notice("体育局", "shirking", "2017-04-11"),
        notice("体育局", "unrectified", "2017-09-20"),
        notice("民防局", "media", "2017-02-01"),
        notice("民防局", "unrectified", "2017-06-15"),
        notice("民防局", "shirking", "2017-11-30"),
    ]
    kaohe.run("import", SCHEME, write_ledger(tmp_path / "notices.csv", rows))
    year = kaohe.score(SCHEME, "2017")
    assert year["民政局"]["total"] == 1  # 0 notices: 1
    assert year["卫计局"]["total"] == 0.5  # 1 notice: 1 − 0.5 = 0.5
    assert year["体育局"]["total"] == 0  # 2 notices: 年度分值全部扣除, 1 − 1 = 0
    assert year["民防局"]["total"] == 0  # 3 notices: still all of it, never below 0
    assert year["体育局"]["indicators"] == {"通报": 0}
    assert "被通报2次" in year["体育局"]["flags"] and "年度分值全部扣除" in year["体育局"]["flags"]
    # Ranks within 二类, ties share the better rank: 11 units on 1 → 1; 卫计局 0.5 → 12; the two on 0 → 13.
    assert (year["民政局"]["rank"], year["卫计局"]["rank"], year["体育局"]["rank"], year["民防局"]["rank"]) == (
        1,
        12,
        13,
        13,
    )
    # A quarter shows only its own notices: 体育局 in 2017Q2 has 1 (2017-04-11) → 0.5.
    assert kaohe.score(SCHEME, "2017Q2")["体育局"]["total"] == 0.5


def test_three_recurrences_in_one_month_become_a_notice(kaohe, tmp_path):
    # 移动公司: the same problem (named with 问题=) 3 times in May → 1 derived notice.
    # 联通公司: 3 times, but 2 in May and 1 in June → no notice.
    # 电信局: 6 times in July → one notice per problem per month → still 1 notice.
    # 邮政局: 3 recurrences in August, but of 3 different problems → no notice.
    rows = (
        [
            notice("移动公司", "recurrence-observed", d, "基站机柜门破损复现")
            for d in ("2017-05-03", "2017-05-12", "2017-05-30")
        ]
        + [
            notice("联通公司", "recurrence-observed", d, "线缆凌乱复现")
            for d in ("2017-05-20", "2017-05-28", "2017-06-02")
        ]
        + [notice("电信局", "recurrence-observed", f"2017-07-{d:02d}", "光交箱广告复现") for d in (1, 5, 9, 13, 17, 21)]
        + [notice("邮政局", "recurrence-observed", f"2017-08-{d:02d}", f"信报箱破损{d}") for d in (1, 2, 3)]
    )
    kaohe.run("import", SCHEME, write_ledger(tmp_path / "recur.csv", rows))
    year = kaohe.score(SCHEME, "2017")
    assert year["移动公司"]["total"] == 0.5  # 1 derived notice: 1 − 0.5
    assert year["联通公司"]["total"] == 1  # 2 + 1 over two months: no notice
    assert year["电信局"]["total"] == 0.5  # 6 in one month: 1 notice (not 2, which would be 0)
    assert year["邮政局"]["total"] == 1  # different problems do not add up
    explain = kaohe.run("explain", SCHEME, "--period", "2017", "--unit", "移动公司").stdout
    assert "整改后，问题反复出现的（一个月内3次及以上）" in explain
    assert "derived" in explain or "派生" in explain
    assert "基站机柜门破损复现" in explain and "2017-05" in explain
    data = kaohe.json("explain", SCHEME, "--period", "2017", "--unit", "移动公司")
    lines = [line for ind in data["explanation"] for line in ind["lines"]]
    derived = next(line for line in lines if line["clause"] == "recurrence")
    assert str(derived["records"][0]).startswith("derived:")
    # The recurrence notice counts in its own month and quarter only.
    assert kaohe.score(SCHEME, "2017-05")["移动公司"]["total"] == 0.5
    assert kaohe.score(SCHEME, "2017-04")["移动公司"]["total"] == 1


def test_recurrences_named_by_attribute_and_a_hand_recorded_notice(kaohe):
    # The problem named with --attr 问题=…: the reasons differ, the problem is the same.
    for day, why in (("2017-10-02", "第一次复现"), ("2017-10-15", "第二次复现"), ("2017-10-29", "第三次复现")):
        kaohe.record(SCHEME, period="2017-10", unit="新奥燃气公司", indicator="通报", clause="recurrence-observed",
                     date=day, reason=why, attr="问题=花园街井盖破损")
    assert kaohe.score(SCHEME, "2017")["新奥燃气公司"]["total"] == 0.5  # 1 − 0.5
    # The office also records that notice by hand, same month and problem: still 1 notice, not 2.
    kaohe.record(SCHEME, period="2017-10", unit="新奥燃气公司", indicator="通报", clause="recurrence",
                 date="2017-10-30", reason="通报：花园街井盖反复破损", attr="问题=花园街井盖破损")
    assert kaohe.score(SCHEME, "2017")["新奥燃气公司"]["total"] == 0.5


# -- 三类: the annual deduction and the requirements ----------------------------------------------
def test_range_deduction_and_ranks_with_ties(kaohe):
    kaohe.record(SCHEME, period="2017", unit="区委办", indicator="年度扣分", clause="shortfall", amount=0.3,
                 reason="二、三季度未开展志愿活动")
    before = ledger_size(kaohe)
    for bad in ("0.6", "0.05"):
        proc = kaohe.run("record", SCHEME, "--period", "2017", "--unit", "人大办", "--indicator", "年度扣分",
                         "--clause", "shortfall", "--amount", bad, "--reason", "超出范围", ok=False)
        assert "超出条款" in proc.stderr and "的范围 0.1–0.5" in proc.stderr
    assert ledger_size(kaohe) == before
    kaohe.record(SCHEME, period="2017", unit="政府办", indicator="年度扣分", clause="shortfall", amount=0.1, reason="x")
    kaohe.record(SCHEME, period="2017", unit="政协办", indicator="年度扣分", clause="shortfall", amount=0.1, reason="y")
    year = kaohe.score(SCHEME, "2017")
    assert year["区委办"]["total"] == 0.2  # 0.5 − 0.3
    assert year["人大办"]["total"] == 0.5  # the rejected amounts left nothing behind
    assert year["政府办"]["total"] == year["政协办"]["total"] == 0.4  # 0.5 − 0.1
    # 53 units on 0.5 share rank 1; the two on 0.4 share rank 54; 区委办 on 0.2 is 56th.
    assert year["人大办"]["rank"] == 1
    assert year["政府办"]["rank"] == year["政协办"]["rank"] == 54
    assert year["区委办"]["rank"] == 56


def test_monthly_report_below_ten_is_flagged(kaohe, tmp_path):
    rows = [
        {"unit": "统计局", "indicator": "报送问题建议", "period": f"2017-{m:02d}", "value": v, "reason": f"{m}月报送"}
        for m, v in ((1, 12), (2, 9), (3, 10))
    ]
    rows += [{"unit": "旅游局", "indicator": "报送问题建议", "period": f"2017-{m:02d}", "value": 10, "reason": "报送"}
             for m in (1, 2, 3)]
    kaohe.run("import", SCHEME, write_ledger(tmp_path / "reports.csv", rows))
    q1 = kaohe.score(SCHEME, "2017Q1")
    assert "报送问题建议：2月不足10条" in q1["统计局"]["flags"]  # 9 < 10; 12 and 10 meet it
    assert not any(f.startswith("报送问题建议") for f in q1["旅游局"]["flags"])  # 10, 10, 10
    # nothing recorded is not 0 reported: the months are named as missing, not as short (issue 14)
    assert "未录入：报送问题建议 2017Q1 1—3月" in q1["审计局"]["flags"]
    assert not any(f.startswith("报送问题建议") for f in q1["审计局"]["flags"])
    # The requirement deducts nothing by itself: the office decides at the year's end.
    assert q1["统计局"]["total"] == 0.5


def test_volunteer_activity_and_summary_deadline(kaohe):
    # 区委办 (挂钩 淹城社区): activity in Q1, summary on 5 April → on time (5日前 includes the 5th).
    kaohe.record(SCHEME, period="2017-02", unit="区委办", indicator="城管志愿活动", clause="activity",
                 date="2017-02-18", reason="淹城社区卫生死角清理", attr="社区=淹城社区")
    kaohe.record(SCHEME, period="2017Q1", unit="区委办", indicator="城管志愿活动", clause="summary",
                 reason="一季度总结", attr="报送日期=2017-04-05")
    # 人大办 (挂钩 鸣南社区): activity in Q1, summary on 6 April → late.
    kaohe.record(SCHEME, period="2017-03", unit="人大办", indicator="城管志愿活动", clause="activity",
                 date="2017-03-11", reason="鸣南社区入户走访")
    kaohe.record(SCHEME, period="2017Q1", unit="人大办", indicator="城管志愿活动", clause="summary",
                 reason="一季度总结", attr="报送日期=2017-04-06")
    # 政府办 (挂钩 聚湖社区): its only activity was in another community → does not count.
    kaohe.record(SCHEME, period="2017-03", unit="政府办", indicator="城管志愿活动", clause="activity",
                 date="2017-03-20", reason="在淹城社区宣传", attr="社区=淹城社区")
    # A summary without its submission date is refused, and so is one filed against a month.
    before = ledger_size(kaohe)
    proc = kaohe.run("record", SCHEME, "--period", "2017Q1", "--unit", "政协办", "--indicator", "城管志愿活动",
                     "--clause", "summary", "--reason", "总结", ok=False)
    assert "报送日期" in proc.stderr
    proc = kaohe.run("record", SCHEME, "--period", "2017-04", "--unit", "政协办", "--indicator", "城管志愿活动",
                     "--clause", "summary", "--reason", "总结", "--attr", "报送日期=2017-04-03", ok=False)
    assert "期间：季度小结记在它所小结的季度上（如 2017Q1），不是 2017-04" in proc.stderr
    assert ledger_size(kaohe) == before

    q1 = kaohe.score(SCHEME, "2017Q1")
    assert not any(f.startswith("城管志愿活动") for f in q1["区委办"]["flags"])
    assert "城管志愿活动：2017Q1（2017-04-06报送）总结逾期" in q1["人大办"]["flags"]
    assert "城管志愿活动：2017Q1未开展活动" in q1["政府办"]["flags"]
    assert "城管志愿活动：2017Q1未报送总结" in q1["政府办"]["flags"]
    explain = kaohe.run("explain", SCHEME, "--period", "2017Q1", "--unit", "政府办").stdout
    assert "不是挂钩社区，不计" in explain
    # In the year, 区委办's Q2–Q4 are missing: flagged; its Q1 is not.
    year = kaohe.score(SCHEME, "2017")["区委办"]["flags"]
    assert "城管志愿活动：2017Q2、2017Q3、2017Q4未开展活动" in year


def test_public_evaluation_absence_is_flagged(kaohe):
    kaohe.record(SCHEME, period="2017-09", unit="教育局", indicator="参与公众考评", clause="absent",
                 date="2017-09-15", reason="9月公众考评未派员")
    kaohe.record(SCHEME, period="2017-09", unit="科技局", indicator="参与公众考评", clause="participated",
                 date="2017-09-15", reason="9月公众考评")
    year = kaohe.score(SCHEME, "2017")
    assert "参与公众考评：未参与区城管委办公室组织的公众考评1次" in year["教育局"]["flags"]
    assert not any(f.startswith("参与公众考评") for f in year["科技局"]["flags"])
    assert year["教育局"]["total"] == 0.5  # flagged, not deducted


# -- the roster of 附件2 -------------------------------------------------------------------------
def _roster_module(db_path: Path):
    from kaohe_tui import catalog, plugins
    from kaohe_tui.store import Store
    from kaohe_tui.units import ensure_registered

    plugins.load_plugins()
    roster = importlib.import_module("kaohe_plugin_district_categories.roster")
    store = Store(db_path)
    ensure_registered(store)
    return roster, store, catalog.get(SCHEME)


def test_roster_fields_match_the_form():
    from kaohe_tui import plugins

    plugins.load_plugins()
    roster = importlib.import_module("kaohe_plugin_district_categories.roster")
    with (DATA / "roster_form_fields.csv").open(encoding="utf-8") as fh:
        form = [(r["角色"], r["字段"]) for r in csv.DictReader(fh)]
    assert form == [(role, field) for role in roster.ROLES for field in roster.FIELDS]


def test_roster_missing_by_5_april_is_flagged(kaohe, db_path):
    roster, store, scheme = _roster_module(db_path)
    people = {
        "分管领导": {
            "姓名": "张三",
            "职务": "副局长",
            "手机": "13900000001",
            "办公电话": "0519-86000001",
            "QQ": "10001",
        },
        "联络员": {"姓名": "李四", "职务": "科员", "手机": "13900000002", "QQ": "10002"},
    }
    # 民政局: complete, stamped, received 5 April (on time). 区委办: received 9 April (late).
    # 侨办（侨联）: on time but the 联络员 is missing. 卫计局: on time, not stamped.
    for unit, received, roles, stamped in (
        ("民政局", "2017-04-05", people, True),
        ("区委办", "2017-04-09", people, True),
        ("侨办（侨联）", "2017-04-01", {"分管领导": people["分管领导"]}, True),
        ("卫计局", "2017-04-02", people, False),
    ):
        for role, fields in roles.items():
            roster.set_person(store, scheme, unit, role, **fields)
        roster.set_form(store, scheme, unit, 2017, received, stamped=stamped, fax="67898680")
    with pytest.raises(Exception, match="QQ"):
        roster.set_person(store, scheme, "民政局", "联络员", QQ="abc")
    with pytest.raises(Exception, match="角色：“主任”应为以下之一："):
        roster.set_person(store, scheme, "民政局", "主任", 姓名="王五")
    listed = {r["unit"]: r for r in roster.list_roster(store, scheme, 2017)}
    assert len(listed) == 70  # every 二类 and 三类 unit
    assert listed["民政局"]["people"]["联络员"]["QQ"] == "10002"  # the bad QQ changed nothing
    store.close()

    flag = "分管领导及联络员名单未按要求报送"
    q1 = kaohe.score(SCHEME, "2017Q1")  # ends 31 March: the deadline has not come yet
    assert not any(f.startswith(flag) for r in q1.values() for f in r["flags"])
    year = kaohe.score(SCHEME, "2017")
    assert not any(f.startswith(flag) for f in year["民政局"]["flags"])
    assert f"{flag}（2017-04-09报送，逾期）" in year["区委办"]["flags"]
    assert f"{flag}（缺联络员）" in year["侨办(侨联)"]["flags"]
    assert f"{flag}（未加盖公章）" in year["卫计局"]["flags"]
    assert f"{flag}（未报送）" in year["体育局"]["flags"]


# -- the demo ----------------------------------------------------------------------------------
def test_demo_loads_and_scores(kaohe):
    out = kaohe.run("demo", SCHEME).stdout
    assert f"{SCHEME}：已载入" in out
    rows = kaohe.json("ledger", SCHEME, "--period", "2017")
    assert rows and all(r["reason"].startswith("【演示】") for r in rows)
    year = kaohe.score(SCHEME, "2017")
    assert len(year) == 70
    assert year["民政局"]["total"] == 0.5  # 1 media notice: 1 − 0.5
    assert year["供电公司"]["total"] == 0  # 2 notices: all of 1
    assert year["新奥燃气公司"]["total"] == 0.5  # 3 recurrences in June → 1 derived notice
    assert year["联通公司"]["total"] == 1  # 2 in July + 1 in August: no notice
    assert year["人大办"]["total"] == 0.3  # 0.5 − 0.2 chosen by the office
    assert year["侨办(侨联)"]["total"] == 0.4  # 0.5 − 0.1
    assert "报送问题建议：3、7月不足10条" in year["人大办"]["flags"]
