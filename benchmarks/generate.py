"""Realistic benchmark data: 100 towns/streets, a year of digital-platform cases, a ledger.

    python benchmarks/generate.py OUT_DIR [--cases 100000 1000000] [--ledger 100000]

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


def write_cases(path: Path, n: int, year: int = 2018, seed: int = 7) -> None:
    rng = random.Random(seed)
    start = dt.datetime(year, 1, 1)
    span = (dt.datetime(year + 1, 1, 1) - start).total_seconds() - 86400 * 10
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["案件编号", "责任单位", "来源", "上报时间", "处置时限", "结案时间", "延期次数", "核查未通过次数", "回访满意度"])
        for i in range(n):
            reported = start + dt.timedelta(seconds=rng.random() * span)
            deadline = reported + dt.timedelta(hours=rng.choice((4, 24, 72, 120)))
            roll = rng.random()
            extensions = 0 if roll < 0.85 else rng.choice((1, 1, 2, 3))
            if extensions:
                deadline += dt.timedelta(days=3 * extensions)
            if roll < 0.03:
                closed = ""  # still open
            elif roll < 0.12:
                closed = (deadline + dt.timedelta(hours=rng.randint(1, 200))).strftime("%Y-%m-%d %H:%M:%S")
            else:
                closed = (reported + (deadline - reported) * rng.random()).strftime("%Y-%m-%d %H:%M:%S")
            failed = 0 if rng.random() < 0.92 else rng.choice((1, 1, 2, 3))
            w.writerow([f"C{year}{i:08d}", UNITS[rng.randrange(len(UNITS))], rng.choice(SOURCES),
                        reported.strftime("%Y-%m-%d %H:%M:%S"), deadline.strftime("%Y-%m-%d %H:%M:%S"), closed,
                        extensions, failed, rng.choice(SATISFACTION)])


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
                w.writerow([unit, "业务考核", "", "", "", round(50 + rng.random() * 16, 1), f"2018Q{q}", "", f"督查检查第{i}次"])
            else:
                w.writerow([unit, "社会评价", "", "", "", round(2 + rng.random() * 2, 2), f"2018Q{q}", "", f"公众监督员评价第{i}次"])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("out", type=Path)
    parser.add_argument("--cases", type=int, nargs="*", default=[100_000, 1_000_000])
    parser.add_argument("--ledger", type=int, default=100_000)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    write_units(args.out / "units.csv")
    for n in args.cases:
        write_cases(args.out / f"cases_{n}.csv", n)
    write_ledger(args.out / f"ledger_{args.ledger}.csv", args.ledger)
    print(f"wrote benchmark data to {args.out}")


if __name__ == "__main__":
    main()
