"""A plausible 2012 demo ledger for the 13 sample streets/towns (``kaohe demo`` labels every
record 【演示】). Figures are invented; they exercise every rule shape of the scheme: rank bands
with ties and a unit that reported but had nothing adopted, collections above and below the
expected count, rates around the average, and per-case deductions."""

from __future__ import annotations

YEAR = "2012"

UNITS = ["示例街道甲", "示例街道乙", "示例街道丙", "示例街道丁", "示例镇甲", "示例镇乙", "示例镇丙",
         "示例镇丁", "示例镇戊", "示例镇己", "示例镇庚", "示例镇辛", "示例镇壬"]

# 信息综合录用数 (ties at 38 and 22; 示例镇壬 reported but nothing was adopted)
ADOPTED = [46, 41, 38, 38, 35, 30, 27, 22, 22, 18, 12, 7, 0]
# 实际采集信息数 (expected = 150 × 实有工作站)
COLLECTED = [3720, 2430, 4100, 1650, 5400, 5600, 3900, 2900, 4300, 2600, 3500, 2100, 2650]
CONFIRMED = [96.5, 93.0, 97.2, 88.4, 95.1, 98.0, 91.3, 90.2, 94.6, 89.9, 92.8, 86.5, 90.0]
CLOSED = [92.0, 90.5, 95.3, 85.0, 93.8, 96.1, 88.7, 87.9, 91.2, 86.4, 90.6, 83.2, 88.0]


def _row(unit, indicator, reason, clause=None, *, count=None, amount=None, value=None, date=None):
    return {"unit": unit, "indicator": indicator, "clause": clause, "count": count, "amount": amount,
            "value": value, "period": date[:7] if date else YEAR, "date": date, "reason": reason}


def _statistics() -> list[dict]:
    rows = []
    for unit, adopted, collected, confirmed, closed in zip(UNITS, ADOPTED, COLLECTED, CONFIRMED, CLOSED, strict=False):
        rows += [
            _row(unit, "信息上报", f"全年报送动态、简报，综合录用{adopted}条", value=adopted),
            _row(unit, "采集数统计", f"系统统计：全年实际采集信息{collected}条", "actual", value=collected),
            _row(unit, "确认率统计", f"系统统计：全年确认率{confirmed}%", value=confirmed),
            _row(unit, "办结率统计", f"系统统计：全年办结率{closed}%", value=closed),
        ]
    return rows


def _deductions() -> list[dict]:
    community = "社区巡管基础信息情况统计/责任倒查"
    grid = "城市网格化管理/责任倒查"
    return [
        # 一 机制规范化建设
        _row("示例街道丁", "工作汇报制度", "查阅资料：3、7、11月未向街镇党委政府汇报工作", "partly", amount=0.3),
        _row("示例镇辛", "基础台帐与绩效测评", "随机抽查：协管员绩效测评奖惩未兑现", "unmet"),
        _row("示例镇丁", "分层培训", "抽查居村委干部，均未参加过培训", "village-cadres"),
        _row("示例镇辛", "分层培训", "抽查协管员，未培训过", "assistants"),
        _row("示例镇辛", "分层培训", "抽查条线负责人，未培训过", "line-heads"),
        _row("示例镇己", "牵头联合执法", "全年仅牵头开展联合执法1次，资料不全", "partly", amount=1.5),
        _row("示例街道乙", "联勤巡管全覆盖", "部分城市化区域未建立制度化街面联勤巡管", "partly", amount=1),
        # 二 社区巡管基础信息 · 责任倒查
        _row("示例镇丁", community, "962000民生热线举报：新建商务楼宇未采集", "complaint", date="2012-04-17"),
        _row("示例镇丁", community, "区长信箱投诉：出租屋信息未采集", "complaint", date="2012-09-03"),
        _row("示例镇辛", community, "《工作提示单》通报：实有人口信息漏采", "notice-slip", date="2012-06-12"),
        _row("示例镇辛", community, "报纸曝光：群租房未纳入采集", "media", date="2012-10-08"),
        _row("示例街道丁", community, "市民巡访团反映：沿街商铺信息未采集", "complaint", count=2, date="2012-05-21"),
        # 三 城市网格化管理
        _row("示例镇丙", "巡查监督", "系统月统计：应发现未发现案件", "missed-case", count=4, date="2012-03-31"),
        _row("示例镇丙", "巡查监督", "巡查日志填写不规范", "patrol-log", date="2012-05-15"),
        _row("示例街道丁", "巡查监督", "监督员未按规定着装", "uniform", count=2, date="2012-07-10"),
        _row("示例镇壬", "巡查监督", "“城管通”不开机", "device", date="2012-08-02"),
        _row("示例镇庚", "处置核查", "超时（红灯）案件", "red-light", count=3, date="2012-06-30"),
        _row("示例镇庚", "处置核查", "案件1206-0135申请延期3次", "extension", count=3, date="2012-06-20"),
        _row("示例镇丁", "处置核查", "案件1209-0412申请延期1次", "extension", count=1, date="2012-09-11"),
        _row("示例镇丁", "处置核查", "案件1208-0077核查未通过2次", "failed-check", count=2, date="2012-08-24"),
        _row("示例镇辛", "处置核查", "案件1211-0250核查未通过3次", "failed-check", count=3, date="2012-11-19"),
        _row("示例街道乙", "处置核查", "监督员现场核查不及时", "careless-check", date="2012-10-09"),
        _row("示例镇辛", grid, "电视台曝光占道经营，经查属实", "media", date="2012-07-22"),
        _row("示例镇丁", grid, "区领导转办：河道垃圾未处置，经查属实", "leaders", date="2012-04-05"),
        _row("示例镇甲", grid, "12319举报：夜间施工噪声，经查属实", "hotline", date="2012-11-02"),
        _row("示例街道丙", grid, "区“大联动”推进办书面提示", "written-notice", date="2012-12-03"),
    ]


def records() -> list[dict]:
    return _statistics() + _deductions()
