"""Each rule type on hand-worked figures from the documents' own rules, with the edges:
the floor at zero, zeroing, a range deduction outside its range, ties in rank bands, zero
denominators."""

import pytest

from kaohe_tui.rules.base import Outcome
from kaohe_tui.rules.quota import parse_standard
from kaohe_tui.rules.statistics import competition_ranks
from rulekit import entry, indicator, run, validate

# 工作纪律 (seed 002, 附件2 item 6), a subset of its clauses
DISCIPLINE = dict(name="工作纪律", points=10, clauses=[
    {"id": "no-ledger", "text": "无考勤管理台账资料的不得分", "zero": True},
    {"id": "late", "text": "出现迟到早退的有一例扣0.5分", "per": 0.5},
    {"id": "absent", "text": "出现无故旷工的有一例扣1分", "per": 1},
    {"id": "media", "text": "违反工作纪律被媒体曝光，造成恶劣影响的，有一起扣2分", "per": 2},
])


class TestPerOccurrence:
    def test_deductions_add_up(self):
        ind = indicator(**DISCIPLINE)
        out = run(ind, [entry(clause="late", count=3), entry(clause="absent")])
        # 10 − 3×0.5 − 1×1 = 7.5
        assert out.points == 7.5
        assert [line.delta for line in out.lines] == [-1.5, -1.0]
        assert out.lines[0].clause == "late"

    def test_floor_at_zero_never_below_and_says_so(self):
        ind = indicator(**DISCIPLINE)
        out = run(ind, [entry(clause="media", count=4), entry(clause="absent", count=5)])
        # 4×2 + 5×1 = 13 to deduct from 10: 扣完为止 → 0, not −3
        assert out.points == 0
        assert any("扣完为止" in line.text for line in out.lines)
        assert sum(line.delta for line in out.lines) == -10

    def test_zeroing_trigger(self):
        ind = indicator(**DISCIPLINE)
        out = run(ind, [entry(clause="late"), entry(clause="no-ledger")])
        # 无考勤管理台账资料的不得分: 0 whatever else happened
        assert out.points == 0
        assert out.lines[0].text.startswith("不得分")
        assert "工作纪律不得分" in out.flags

    def test_decimal_arithmetic_is_exact(self):
        ind = indicator(
            name="巡查监督", points=8, clauses=[{"id": "miss", "text": "应发现未发现的案件，每起扣0.1分", "per": 0.1}]
        )
        out = run(ind, [entry(clause="miss", count=3)])
        # 8 − 3×0.1 = 7.7 exactly (not 7.699999999)
        assert out.points == 7.7

    def test_doubled_when_client_not_installed(self):
        # 附件5: 违反上述行为的按照附件2相关规定进行扣分，未安装客户端的，双倍扣分
        ind = indicator(name="信息管理", points=5, clauses=[
            {"id": "oa-late", "text": "无故不登陆办公OA系统、流程不及时回复影响工作的有一例扣0.5分", "per": 0.5,
             "double_when": "未安装客户端"}])
        out = run(ind, [entry(clause="oa-late", count=2), entry(clause="oa-late", attrs={"未安装客户端": "1"})])
        # 5 − 2×0.5 − 1×0.5×2 = 3
        assert out.points == 3

    def test_escalating_repeats(self):
        # 004 处置核查: 已申请延期的处置案件，以后每申请延期一次，每次扣0.1分 → first extension free
        ind = indicator(name="处置核查", points=6, clauses=[
            {"id": "extension", "text": "以后每申请延期一次，每次扣0.1分", "steps": [0, 0.1]},
            {"id": "ladder", "text": "累进", "steps": [0.2, 0.2, 0.5]}])
        out = run(ind, [entry(clause="extension", count=3), entry(clause="ladder", count=4)])
        # extensions: 0 + 0.1 + 0.1 = 0.2; ladder: 0.2 + 0.2 + 0.5 + 0.5 = 1.4; 6 − 1.6 = 4.4
        assert out.points == 4.4

    def test_record_count_must_not_be_negative(self):
        ind = indicator(**DISCIPLINE)
        assert validate(ind, entry(clause="late", count=-1)) is not None


class TestRangeDeduction:
    IND = dict(name="年度分值", points=0.5, rule="range_deduction", clauses=[
        {"id": "shortfall", "text": "年度达不到工作要求的，从年度分值中扣除0.1—0.5分不等", "min": 0.1, "max": 0.5}])

    def test_chosen_amount_inside_range(self):
        out = run(indicator(**self.IND), [entry(clause="shortfall", amount=0.3)])
        # 0.5 − 0.3 = 0.2
        assert out.points == 0.2

    @pytest.mark.parametrize("amount", [0.05, 0.6, -0.1])
    def test_amount_outside_range_rejected(self, amount):
        problem = validate(indicator(**self.IND), entry(clause="shortfall", amount=amount))
        assert problem and "超出" in problem and "0.1" in problem and "0.5" in problem

    def test_amount_required(self):
        assert "须写分值" in validate(indicator(**self.IND), entry(clause="shortfall"))


class TestNoticeLadder:
    IND = dict(name="年度分值", points=1, rule="notice_ladder", params={"ladder": [[1, 0.5], [2, "all"]]}, clauses=[
        {"id": "media", "text": "被媒体曝光的"}, {"id": "shirk", "text": "推卸工作责任的"},
        {"id": "observed", "text": "问题反复出现（登记）", "tracks": True}])

    @pytest.mark.parametrize("notices,expected", [
        (0, 1.0),  # no notice: the whole annual value 1
        (1, 0.5),  # 被通报1次的，扣除年度分值0.5分: 1 − 0.5
        (2, 0.0),  # 被通报2次的，年度分值全部扣除
        (3, 0.0),  # more than two: still nothing left, never negative
    ])
    def test_ladder(self, notices, expected):
        records = [entry(clause="media" if i % 2 else "shirk") for i in range(notices)]
        assert run(indicator(**self.IND), records).points == expected

    def test_tracked_observations_are_not_notices(self):
        out = run(indicator(**self.IND), [entry(clause="observed", count=5)])
        assert out.points == 1

    def test_rejects_a_decreasing_ladder(self):
        from kaohe_tui.rules import check_indicator_params

        bad = indicator(**{**self.IND, "params": {"ladder": [[2, 1], [1, 0.5]]}})
        assert check_indicator_params(bad) == "params.ladder：通报次数须逐级增加"


class TestRatioToExpected:
    # 004 采集数 9: expected = district 2011 collections ÷ district work stations × unit's stations
    IND = dict(name="采集数", points=9, rule="ratio_to_expected",
               params={"district_total": 12000, "district_units": 100, "unit_attr": "实有工作站"})

    def test_ratio(self):
        out = run(indicator(**self.IND), [entry(value=600)], unit_attrs={"实有工作站": 8})
        # expected 12000 ÷ 100 × 8 = 960; 9 × 600 ÷ 960 = 5.625
        assert out.points == 5.625

    def test_capped_at_max(self):
        out = run(indicator(**self.IND), [entry(value=2000)], unit_attrs={"实有工作站": 8})
        # 9 × 2000 ÷ 960 = 18.75 → capped at 9
        assert out.points == 9

    def test_zero_expected_follows_parameter(self):
        def with_zero(choice):
            params = {**self.IND["params"], **({"on_zero": choice} if choice else {})}
            return run(indicator(**{**self.IND, "params": params}), [entry(value=5)], unit_attrs={"实有工作站": 0})

        full, zero, unset = with_zero("full"), with_zero("zero"), with_zero(None)
        # nothing was expected: full marks (9) where the scheme says "full", 0 where it says "zero"
        assert (full.points, zero.points) == (9, 0)
        assert "无法计算" in full.lines[0].text and not full.flags
        # where the scheme file says nothing, the score is not silently full: 0 and a flag saying why
        assert unset.points == 0 and unset.flags == [
            "采集数：应完成数 = 12000 ÷ 100 × 0（实有工作站）= 0，无法计算比率，文件未规定如何计分"
        ]


class TestRelativeToAverage:
    IND = dict(name="确认率", points=2, rule="relative_to_average")

    def test_against_peer_average(self):
        out = run(indicator(**self.IND), [entry(value=80)], peers={"乙": [entry(unit="乙", value=100)]})
        # average (80 + 100) ÷ 2 = 90; 2 × 80 ÷ 90 = 1.777778
        assert out.points == pytest.approx(1.777778, abs=1e-6)

    def test_above_average_capped(self):
        out = run(indicator(**self.IND), [entry(value=100)], peers={"乙": [entry(unit="乙", value=80)]})
        assert out.points == 2

    def test_fixed_base_and_zero_average(self):
        fixed = run(indicator(**{**self.IND, "params": {"average": 50}}), [entry(value=40)])
        # 2 × 40 ÷ 50 = 1.6
        assert fixed.points == 1.6
        zero = run(indicator(**{**self.IND, "params": {"on_zero": "full"}}), [entry(value=0)],
                   peers={"乙": [entry(unit="乙", value=0)]})
        assert zero.points == 2  # average 0: on_zero "full" where the scheme says so


class TestRankBands:
    # 004 宣传培训: 基础分0.2; 第1-5名0.8, 6-10名0.6, 11-13名0.4; 无信息上报为0分
    IND = dict(name="信息", points=1, rule="rank_bands",
               params={"base": 0.2, "bands": [[1, 5, 0.8], [6, 10, 0.6], [11, 13, 0.4]]})

    def peers(self, figures):
        return {f"单位{i}": [entry(unit=f"单位{i}", value=v)] for i, v in enumerate(figures)}

    def test_band_by_rank(self):
        # 6 others with 50..45 items; 甲 with 44 ranks 7th → 0.2 + 0.6 = 0.8
        out = run(indicator(**self.IND), [entry(value=44)], peers=self.peers([50, 49, 48, 47, 46, 45]))
        assert out.points == 0.8

    def test_tie_shares_the_better_rank(self):
        # 5 units ahead would push 甲 to 6th, but 甲 ties the 5th (46): both rank 5 → 0.2 + 0.8 = 1.0
        out = run(indicator(**self.IND), [entry(value=46)], peers=self.peers([50, 49, 48, 47, 46]))
        assert out.points == 1.0
        assert "并列" in out.lines[0].text

    def test_nothing_reported_scores_zero(self):
        assert run(indicator(**self.IND), [], peers=self.peers([3])).points == 0

    def test_outside_every_band_keeps_base(self):
        # 14th of 14: only the base 0.2
        out = run(indicator(**self.IND), [entry(value=1)], peers=self.peers(range(100, 113)))
        assert out.points == 0.2

    def test_competition_ranking(self):
        assert competition_ranks({"a": 9, "b": 7, "c": 9, "d": 5}) == {"a": 1, "c": 1, "b": 3, "d": 4}


class TestMonthlyQuota:
    # 002 附件4: 一月未达标扣1分 from 信息宣传 7; standards per unit
    IND = dict(name="信息宣传", points=7, rule="monthly_quota", params={"standard_attr": "信息报送标准"},
               clauses=[{"id": "published", "text": "区政府门户网站录用信息"},
                        {"id": "feature-city", "text": "在线访谈等被市政府门户网站录用", "weight": 5}])

    def test_monthly_standard(self):
        records = [entry(clause="published", value=4, period=f"2018-{m:02d}") for m in range(1, 13)]
        records[2] = entry(clause="published", value=3, period="2018-03")  # March below 4
        out = run(indicator(**self.IND), records, unit_attrs={"信息报送标准": "4"})
        # one month (March) below the standard of 4: 7 − 1 = 6
        assert out.points == 6
        assert "3月" in out.lines[0].text

    def test_missing_months_are_flagged_not_deducted(self):
        out = run(indicator(**self.IND), [], unit_attrs={"信息报送标准": "1"})
        # nothing entered: no month is known to be below standard, so nothing is deducted (7), and
        # the flag names all twelve months (issue 14: a month without a figure is not a month of 0)
        assert out.points == 7 and out.flags == ["未录入：信息宣传 2018 1—12月"]
        assert "结果为暂定" in out.lines[-1].text
        half = [entry(clause="published", value=0 if m == 3 else 1, period=f"2018-{m:02d}") for m in range(1, 7)]
        out = run(indicator(**self.IND), half, unit_attrs={"信息报送标准": "1"})
        # January–June entered, March an explicit 0 < 1: 7 − 1 = 6; July–December still missing
        assert out.points == 6 and out.flags == ["未录入：信息宣传 2018 7—12月"]

    def test_missing_months_floor_with_stated_default(self):
        ind = indicator(**{**self.IND, "params": {"standard_attr": "信息报送标准", "missing_points": 1,
                                                  "missing_reason": "未报送按未达标计"}})
        out = run(ind, [], unit_attrs={"信息报送标准": "1"})
        # the scheme states a missing month costs 1: 12 × 1 = 12 > 7 → 0 (扣完为止), still flagged
        assert out.points == 0 and out.flags == ["未录入：信息宣传 2018 1—12月"]
        assert "未报送按未达标计" in out.lines[-1].text

    def test_annual_minimum_with_feature_extra(self):
        records = [entry(clause="published", value=1, period="2018-02"),
                   entry(clause="feature-city", count=1, period="2018-05")]
        out = run(indicator(**self.IND), records, unit_attrs={"信息报送标准": "全年不低于5条"})
        # 1 item + 1 feature item (counts in its month) + 5 extra for the city portal = 7 ≥ 5 → 7
        assert out.points == 7
        short = run(indicator(**self.IND), records[:1], unit_attrs={"信息报送标准": "全年不低于5条"})
        # 1 < 5 but eleven months are not entered yet: not judged (7), flagged
        assert short.points == 7 and short.flags == ["未录入：信息宣传 2018 1、3—12月"]
        year = records[:1] + [
            entry(clause="published", value=0, period=f"2018-{m:02d}") for m in range(1, 13) if m != 2
        ]
        # every month entered, 1 < 5: 7 − 1 = 6
        assert run(indicator(**self.IND), year, unit_attrs={"信息报送标准": "全年不低于5条"}).points == 6

    def test_parse_standard(self):
        assert parse_standard("4") == ("month", 4)
        assert parse_standard("全年不低于10条") == ("year", 10)
        assert parse_standard("每月若干") is None


class TestClosureRate:
    # 001: 结案率由按时结案数、延期结案数和超时结案数加权确定，权重比为1:0.6:0.3
    IND = dict(name="结案率", points=10, rule="closure_rate",
               clauses=[{"id": c, "text": c} for c in ("on_time", "extended", "overdue", "due")])

    def test_weighted(self):
        records = [entry(clause="on_time", count=80), entry(clause="extended", count=10),
                   entry(clause="overdue", count=10)]
        out = run(indicator(**self.IND), records)
        # (80×1 + 10×0.6 + 10×0.3) ÷ 100 = 0.89; 10 × 0.89 = 8.9
        assert out.points == 8.9

    def test_due_larger_than_closed(self):
        records = [entry(clause="on_time", count=50), entry(clause="due", count=100)]
        # 50 ÷ 100 = 0.5 → 5
        assert run(indicator(**self.IND), records).points == 5

    def test_threshold_with_points_per_percentage(self):
        # Jinhua shape: full marks from 70%, −1 per point below
        ind = indicator(**{**self.IND, "params": {"full_at": 0.7, "per_point_below": 1}})
        assert run(ind, [entry(clause="on_time", count=65), entry(clause="due", count=100)]).points == 5  # 10 − 5×1
        assert run(ind, [entry(clause="on_time", count=75), entry(clause="due", count=100)]).points == 10

    def test_nothing_entered_is_missing(self):
        out = run(indicator(**self.IND), [])
        # no count entered: not full marks, not a silent 0 — flagged as missing
        assert out.points == 0 and out.flags == ["未录入：结案率 2018"]

    def test_zero_due_follows_the_scheme(self):
        due0 = [entry(clause="due", count=0)]
        full = run(indicator(**{**self.IND, "params": {"on_zero": "full"}}), due0)
        assert full.points == 10 and not full.flags  # the scheme says: nothing to close, full marks
        unset = run(indicator(**self.IND), due0)
        # the document says nothing: 0 and a flag, never a silent 10
        assert unset.points == 0 and unset.flags == ["结案率：应结案数为0，文件未规定如何计分"]


class TestComposites:
    def child(self, name, points, got):
        return name, Outcome(got, points)

    def test_sum_and_cap(self):
        ind = indicator(
            name="基础管理", points=70, children=[indicator(name="甲项", points=40), indicator(name="乙项", points=30)]
        )
        out = run(ind, children=dict([self.child("甲项", 40, 38.5), self.child("乙项", 30, 30)]))
        # 38.5 + 30 = 68.5
        assert out.points == 68.5

    def test_sum_with_undefined_child(self):
        ind = indicator(
            name="四",
            points=7,
            children=[indicator(name="结案率", points=5), indicator(name="其余", points=2, rule="undefined")],
        )
        out = run(ind, children={"结案率": Outcome(4.0, 5), "其余": Outcome(None, 2)})
        assert out.points == 4 and any("未定义" in f for f in out.flags)

    def test_weighted_5_3_2(self):
        ind = indicator(
            name="部门考核",
            points=100,
            rule="weighted",
            params={"weights": {"数字城管": 5, "责任书": 3, "交办": 2}},
            children=[indicator(name=n, points=100) for n in ("数字城管", "责任书", "交办")],
        )
        out = run(
            ind, children={"数字城管": Outcome(90.0, 100), "责任书": Outcome(80.0, 100), "交办": Outcome(100.0, 100)}
        )
        # 100 × (5×0.9 + 3×0.8 + 2×1.0) ÷ 10 = 89
        assert out.points == 89

    def test_quarter_mean(self):
        ind = indicator(name="季度平均", points=50, rule="quarter_mean", params={"weight": 0.5})
        quarter_totals = {"2018Q1": 90, "2018Q2": 80, "2018Q3": 70, "2018Q4": 100}
        out = run(ind, period="2018", score_period=lambda p, of: quarter_totals[str(p)])
        # (90 + 80 + 70 + 100) ÷ 4 = 85; × 50% = 42.5
        assert out.points == 42.5

    def test_assessed_value_scaled(self):
        ind = indicator(name="年度综合考评", points=50, rule="value", params={"scale": 100})
        # 88 out of 100 → 88 ÷ 100 × 50 = 44
        assert run(ind, [entry(value=70), entry(value=88)]).points == 44  # the newer entry counts
        assert validate(ind, entry(value=120)) is not None

    def test_target_items(self):
        ind = indicator(name="年度目标任务", points=30, rule="target_items", clauses=[
            {"id": "missed", "text": "未按要求完成"}, {"id": "special", "text": "特殊情况", "tracks": True}])
        out = run(
            ind,
            [
                entry(clause="missed", amount=4, reason="垃圾转运站"),
                entry(clause="special", amount=3, reason="公厕改造"),
            ],
        )
        # 30 − 4 = 26; the special-circumstance item (3) is not deducted
        assert out.points == 26

    def test_bonus_above_cap(self):
        ind = indicator(name="特别附加分", points=None, rule="bonus", bonus=True)
        out = run(ind, [entry(amount=2, reason="省级表彰"), entry(amount=1.5, reason="市级表彰")])
        assert out.points == 3.5 and out.max is None

    def test_undefined(self):
        out = run(indicator(name="其余", points=2, rule="undefined"))
        assert out.points is None


def test_one_off_clause_applies_once():
    # 学习教育: 无科室学习笔记扣2分 — a situation, not a count: recorded twice, deducted once
    ind = indicator(
        name="学习教育",
        points=4,
        clauses=[{"id": "no-notes", "text": "无科室学习笔记扣2分", "points": 2, "once": True}],
    )
    out = run(ind, [entry(clause="no-notes", count=3), entry(clause="no-notes")])
    # 4 − 2 = 2
    assert out.points == 2
    assert "已扣过" in out.lines[-1].text


def test_quota_year_records_count_for_annual_minimum():
    ind = indicator(**TestMonthlyQuota.IND)
    # an annual-minimum unit whose count was entered once for the whole year: 6 ≥ 5 → 7
    assert (
        run(
            ind, [entry(clause="published", value=6, period="2018")], unit_attrs={"信息报送标准": "全年不低于5条"}
        ).points
        == 7
    )
    # a monthly-standard unit: a record with no month is reported, not silently dropped
    out = run(ind, [entry(clause="published", value=50, period="2018")], unit_attrs={"信息报送标准": "1"})
    # the months stay unentered: no deduction (7), flagged, and the line says why the 50 did not count
    assert out.points == 7 and "未注明月份" in out.lines[0].text and out.flags == ["未录入：信息宣传 2018 1—12月"]
