"""A plausible 2017 demo ledger (``kaohe demo`` labels every record 【演示】)."""

from __future__ import annotations


def _notice(unit, clause, date, reason, **attrs):
    return {"unit": unit, "indicator": "通报", "clause": clause, "period": date[:7], "date": date,
            "reason": reason, "attrs": attrs or None}


def _monthly(unit, figures: dict[int, int]):
    return [{"unit": unit, "indicator": "报送问题建议", "period": f"2017-{m:02d}", "value": n,
             "reason": f"{m}月通过83812319平台、微信公众号报送有效问题和建议{n}条"} for m, n in figures.items()]


def _activity(unit, date, what, community=None):
    return {"unit": unit, "indicator": "城管志愿活动", "clause": "activity", "period": date[:7], "date": date,
            "reason": what, "attrs": {"社区": community} if community else None}


def _summary(unit, quarter, submitted):
    return {"unit": unit, "indicator": "城管志愿活动", "clause": "summary", "period": quarter,
            "reason": f"报送{quarter[-2:]}城管志愿活动总结（附照片）", "attrs": {"报送日期": submitted}}


def records() -> list[dict]:
    problem = "花园街燃气管道井盖破损"
    rows = [
        # 二类: one notice (−0.5), two notices (all), one derived from 3 recurrences in June,
        # and 3 recurrences spread over July and August (no notice).
        _notice("民政局", "media", "2017-03-14", "《武进日报》曝光湖塘镇某小区门前废弃衣物回收箱破损未处置"),
        _notice("供电公司", "unrectified", "2017-05-10", "核查83812319平台派遣案卷：电力箱变外壳破损未整改"),
        _notice("供电公司", "shirking", "2017-08-22", "长虹路架空线缆下垂案卷三次退回，推诿不予处置"),
        _notice("新奥燃气公司", "recurrence-observed", "2017-06-05", "井盖整改后再次破损", 问题=problem),
        _notice("新奥燃气公司", "recurrence-observed", "2017-06-13", "井盖整改后第二次复现", 问题=problem),
        _notice("新奥燃气公司", "recurrence-observed", "2017-06-27", "井盖整改后第三次复现", 问题=problem),
        _notice("联通公司", "recurrence-observed", "2017-07-20", "通信线缆凌乱整改后复现", 问题="人民路通信线缆凌乱"),
        _notice("联通公司", "recurrence-observed", "2017-07-28", "通信线缆凌乱整改后再次复现",
                问题="人民路通信线缆凌乱"),
        _notice("联通公司", "recurrence-observed", "2017-08-03", "通信线缆凌乱整改后复现（次月）",
                问题="人民路通信线缆凌乱"),
    ]
    # 三类 (2): monthly reports, some months short of 10.
    rows += _monthly("区委办", {m: 10 + m % 4 for m in range(1, 13)})
    rows += _monthly("人大办", {1: 12, 2: 10, 3: 6, 4: 11, 5: 10, 6: 13, 7: 8, 8: 10, 9: 12, 10: 10, 11: 11, 12: 10})
    rows += _monthly("侨办（侨联）", {1: 10, 2: 11, 3: 10, 4: 12, 5: 10, 6: 10})
    # 三类 (4): volunteer activities in the paired community and the quarterly summaries.
    rows += [
        _activity("区委办", "2017-02-18", "淹城社区卫生死角清理", "淹城社区"),
        _activity("区委办", "2017-05-20", "淹城社区入户走访调研"),
        _activity("区委办", "2017-08-12", "淹城社区法律法规宣传"),
        _activity("区委办", "2017-11-04", "淹城社区协调解决停车难问题"),
        _summary("区委办", "2017Q1", "2017-04-01"), _summary("区委办", "2017Q2", "2017-07-03"),
        _summary("区委办", "2017Q3", "2017-10-05"), _summary("区委办", "2017Q4", "2018-01-04"),
        _activity("人大办", "2017-03-11", "鸣南社区卫生死角清理"),
        _activity("人大办", "2017-09-16", "鸣南社区城市管理法规宣传"),
        _summary("人大办", "2017Q1", "2017-04-10"), _summary("人大办", "2017Q3", "2017-10-09"),
        _activity("侨办（侨联）", "2017-03-25", "南都社区卫生死角清理"),
        _summary("侨办（侨联）", "2017Q1", "2017-04-05"),
    ]
    # 三类 (3): public evaluation.
    rows += [
        {"unit": "区委办", "indicator": "参与公众考评", "clause": "participated", "period": "2017-09",
         "date": "2017-09-15", "reason": "参加9月城市管理公众考评"},
        {"unit": "人大办", "indicator": "参与公众考评", "clause": "absent", "period": "2017-09", "date": "2017-09-15",
         "reason": "9月城市管理公众考评未派员参加"},
    ]
    # 三类: the office's annual deductions within 0.1–0.5, with the reason.
    rows += [
        {"unit": "人大办", "indicator": "年度扣分", "clause": "shortfall", "amount": 0.2, "period": "2017",
         "reason": "3月、7月报送问题建议不足10条；二、四季度未开展志愿活动；一、三季度总结逾期；未参与9月公众考评"},
        {"unit": "侨办（侨联）", "indicator": "年度扣分", "clause": "shortfall", "amount": 0.1, "period": "2017",
         "reason": "7—12月未报送问题建议；二至四季度未开展志愿活动"},
    ]
    return rows
