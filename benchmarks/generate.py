"""Realistic benchmark data: 100 towns/streets, a year of digital-platform cases, a ledger.

    python benchmarks/generate.py OUT_DIR [--cases 100000 1000000] [--ledger 100000] [--shapes own iso-t …]

Case files come in the shapes real exports take (``SHAPES``: time forms, columns missing, the
platforms' own headers from PLATFORM-LAYOUTS.md).

Deterministic (fixed seed), so two runs measure the same files.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import random
from pathlib import Path

UNITS = [f"基准镇{i:03d}" for i in range(1, 101)]
CATEGORY = "镇（区）、街道"
SOURCES = ["12319热线", "监督员上报", "市长信箱", "媒体曝光", "巡查发现"]
SATISFACTION = ["满意", "满意", "满意", "基本满意", "不满意", ""]


def write_units(path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["单位", "类别", "实有工作站"])
        for i, name in enumerate(UNITS):
            w.writerow([name, CATEGORY, 5 + i % 10])


def _cases(n: int, year: int, seed: int):
    """(id, unit, source, reported, deadline, closed or None, extensions, failed checks, answer) a case."""
    rng = random.Random(seed)
    start = dt.datetime(year, 1, 1)
    span = (dt.datetime(year + 1, 1, 1) - start).total_seconds() - 86400 * 10
    for i in range(n):
        reported = start + dt.timedelta(seconds=int(rng.random() * span))
        deadline = reported + dt.timedelta(hours=rng.choice((4, 24, 72, 120)))
        roll = rng.random()
        extensions = 0 if roll < 0.85 else rng.choice((1, 1, 2, 3))
        if extensions:
            deadline += dt.timedelta(days=3 * extensions)
        if roll < 0.03:
            closed = None  # still open
        elif roll < 0.12:
            closed = deadline + dt.timedelta(hours=rng.randint(1, 200))
        else:
            closed = reported + dt.timedelta(seconds=int((deadline - reported).total_seconds() * rng.random()))
        failed = 0 if rng.random() < 0.92 else rng.choice((1, 1, 2, 3))
        yield (f"C{year}{i:08d}", UNITS[rng.randrange(len(UNITS))], rng.choice(SOURCES), reported, deadline, closed,
               extensions, failed, rng.choice(SATISFACTION))


def _form(pattern: str):
    return lambda t: t.strftime(pattern) if t else ""


def _digits(t) -> str:  # 2018/4/5 9:03, as a spreadsheet saves it
    return f"{t.year}/{t.month}/{t.day} {t.hour}:{t.minute:02d}" if t else ""


def _fraction(t) -> str:
    return t.strftime("%Y-%m-%d %H:%M:%S") + f".{t.second * 7 % 1000:03d}" if t else ""


OWN = ["案件编号", "责任单位", "来源", "上报时间", "处置时限", "结案时间", "延期次数", "核查未通过次数", "回访满意度"]
SZCG = ("上报时间,任务号,大类名称,小类名称,问题来源,问题描述,当前阶段名称,处置部门,捆绑处置截止时间,结案时间,"
        "所属片区,问题类型,"
        "地址描述,所属街道,所属社区,监督员,处置截止时间,X坐标,Y坐标,延期理由,处置意见,单元网格,延期次数,所属区域").split(",")
GRID = ("案件号,问题来源,问题类型,大类名称,街道,上报时间,当前阶段,延期类型,案件标识,处置截止时间,处置结束时间,"
        "强结限制,案件类型,"
        "结案时间,首次派遣时间,受理开始时间,案件阶段名称,受理时间,立案时间,强制结案时间").split(",")


def _own(time, deadline=None, columns=OWN):
    deadline = deadline or time
    keep = [OWN.index(c) for c in columns]

    def row(c):
        cid, unit, source, reported, due, closed, ext, failed, answer = c
        full = [cid, unit, source, time(reported), deadline(due), time(closed), ext, failed, answer]
        return [full[i] for i in keep]
    return columns, row


def _szcg(c):
    cid, unit, source, reported, due, closed, ext, failed, _ = c
    void = cid.endswith("7") and ext == 0 and failed == 0 and closed is not None and cid[-2] == "1"
    stage = "作废" if void else "结案"
    t = _form("%Y-%m-%d %H:%M:%S")
    return [t(reported), cid, "市容环境", "暴露垃圾", source, "路边垃圾未清运", stage, unit, "", t(closed),
            "一片区", "部件", "某路某号", unit, "某社区", "监督员甲", t(due), "512345.6", "3312345.7", "",
            "已处置", "440101001", ext, "某区"]


def _grid(c):
    cid, unit, source, reported, due, closed, ext, failed, _ = c
    forced = closed is not None and cid.endswith("3") and cid[-2] == "2"
    stage = "[作废]" if cid.endswith("9") and cid[-2] == "1" else "[强制结案]" if forced else "[结案]"
    filed, reported = reported, reported - dt.timedelta(minutes=5)  # 立案 five minutes after 上报
    return [cid, source, "部件", "市容环境", unit, _digits(reported), stage, "", "", _digits(due), _digits(closed),
            "", "一般",
            "" if forced else _digits(closed), _digits(filed), _digits(reported), stage.strip("[]"), _digits(reported),
            _digits(filed), _digits(closed) if forced else ""]


def _hyphen_digits(t) -> str:  # 2018-4-5 9:03:07
    return f"{t.year}-{t.month}-{t.day} {t.hour}:{t.minute:02d}:{t.second:02d}" if t else ""


def _zoned(t) -> str:  # 2018-04-05T09:03:07.123+08:00
    return t.strftime("%Y-%m-%dT%H:%M:%S") + f".{t.second * 7 % 1000:03d}+08:00" if t else ""


DISPATCH = ["工单编号", "工单标题", "工单内容", "推送时间", "办理单位", "问题分类", "问题点位"]


def _dispatch(c):  # 12345's export, its unit column under a name of the office's own (--map 办理单位=unit)
    cid, unit, source, reported, *_ = c
    return [cid, "路灯不亮", f"{source}：某路某号路灯不亮", _hyphen_digits(reported), unit, "市政设施", "某路某号"]


# shape → (what it is, header, row of a case): the forms real exports take (PLATFORM-LAYOUTS.md)
SHAPES = {
    "own": ("kaohe's own 9 columns, YYYY-MM-DD HH:MM:SS", *_own(_form("%Y-%m-%d %H:%M:%S"))),
    "iso-t": ("ISO 8601 YYYY-MM-DDTHH:MM:SS, no satisfaction column",
              *_own(_form("%Y-%m-%dT%H:%M:%S"), columns=OWN[:8])),
    "slashes": ("slashes 2018/04/05 09:03:07", *_own(_form("%Y/%m/%d %H:%M:%S"))),
    "digits": ("single digits 2018/4/5 9:03", *_own(_digits)),
    "date-only": ("deadlines as dates 2018/4/24 (the day's end)", *_own(_form("%Y-%m-%d %H:%M:%S"), _form("%Y/%m/%d"))),
    "fractions": ("fractions of a second 09:03:07.123", *_own(_fraction)),
    "few-columns": ("4 columns: id, unit, reported, closed", *_own(_form("%Y-%m-%d %H:%M:%S"), columns=[
        "案件编号", "责任单位", "上报时间", "结案时间"])),
    "szcg-24": ("数字城管 24 columns (profile szcg-24), 作废 cases", SZCG, _szcg),
    "grid-20": ("网格中心 20 columns (profile grid-20): 立案, [作废], forced closings, 2018/4/5 9:03", GRID, _grid),
    "iso-zone": ("ISO 8601 with fractions and a zone 2018-04-05T09:03:07.123+08:00", *_own(_zoned)),
    "12345-map": ("12345 dispatch 7 columns (profile 12345-dispatch, --map 办理单位=unit), 2018-4-5 9:03:07",
                  DISPATCH, _dispatch),
}
# the import's own options a shape needs (``kaohe import`` after the file)
ARGS = {"12345-map": ["--profile", "12345-dispatch", "--map", "办理单位=unit"]}


def write_cases(path: Path, n: int, year: int = 2018, seed: int = 7, shape: str = "own", later: bool = False) -> None:
    """``n`` cases of ``year`` in one of ``SHAPES``; ``later``: the same cases exported again later
    (a case open before is now closed: a re-import updates them by id)."""
    _, header, row = SHAPES[shape]
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for case in _cases(n, year, seed):
            if later and case[5] is None:
                case = (*case[:5], case[4] + dt.timedelta(hours=30), *case[6:])
            w.writerow(row(case))


def write_ledger(path: Path, n: int, seed: int = 11) -> None:
    """Quarterly assessed scores (业务考核 out of 66, 社会评价 out of 4) re-entered many times."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["单位", "指标", "条款", "次数", "分值", "数值", "期间", "日期", "事由"])
        for i in range(n):
            q = 1 + i % 4
            unit = UNITS[(i // 4) % len(UNITS)]
            if i % 2:
                w.writerow([unit, "业务考核", "", "", "", round(50 + rng.random() * 16, 1), f"2018Q{q}", "",
                            f"督查检查第{i}次"])
            else:
                w.writerow([unit, "社会评价", "", "", "", round(2 + rng.random() * 2, 2), f"2018Q{q}", "",
                            f"公众监督员评价第{i}次"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--ledger", type=int, default=100_000)
    parser.add_argument("--shapes", nargs="*", default=["own"], choices=sorted(SHAPES))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_units(args.out / "units.csv")
    for n in args.cases:
        for shape in args.shapes:
            write_cases(args.out / (f"cases_{n}.csv" if shape == "own" else f"cases_{n}_{shape}.csv"), n, shape=shape)
    write_ledger(args.out / f"ledger_{args.ledger}.csv", args.ledger)
    print(f"wrote benchmark data to {args.out}")


def grow_ledger(db: Path, target: int) -> None:
    """Bulk-copy the imported ledger until it has ``target`` rows (set-up, not measured)."""
    import sqlite3

    conn = sqlite3.connect(db)
    cols = ("scheme, period, unit, indicator, clause, count, amount, value, date, reason, attrs, source, created_by, "
            "created_at")
    while (n := conn.execute("SELECT count(*) FROM records").fetchone()[0]) < target:
        conn.execute(f"INSERT INTO records ({cols}) SELECT {cols} FROM records LIMIT ?", (target - n,))
    conn.commit()
    conn.close()


if __name__ == "__main__":
    main()
