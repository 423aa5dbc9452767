"""Scheme ``city-coordination``: 区城市协调管理工作考核制度 (seed 001).

Two categories: the towns/streets (quarterly 业务考核 66% + 数字城管考评 30% + 社会评价 4%; the
year is the quarterly average × 50% + the annual review × 50%; last places in the quarterly
ranking raise 通报批评 and 约谈 flags) and the 12 departments (数字城管绩效 : 目标责任书 : 交办任务
= 5 : 3 : 2). Every rule is a built-in rule type. Platform case records are imported by the core
(``kaohe import city-coordination cases.csv``) and feed the digital parts through the scheme's
``case_feeds``; ``cases.py`` here turns case rows into the quarterly statistics an office enters by
hand instead; ``demo.py`` is a 2018 demo ledger.
"""

from __future__ import annotations

from kaohe_tui.api import bundled, hookimpl

from . import demo
from .cases import Case, QuarterCounts, ledger_rows, quarter_counts  # noqa: F401  (the seam, for importers)

SCHEME_ID = "city-coordination"



@hookimpl
def kaohe_schemes():
    return [bundled("schemes") / f"{SCHEME_ID}.toml"]


@hookimpl
def kaohe_demo_records(scheme):
    return demo.records()
