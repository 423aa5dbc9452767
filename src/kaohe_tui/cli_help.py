"""Chinese help for the options that are declared without one (``--json``, ``--period``, ``--reason``
and the like, repeated across commands and plugins' commands): one wording per option, filled in
once the whole parser is built, so ``kaohe X --help`` never shows a bare option."""

from __future__ import annotations

import argparse

# by the option's destination; a command that means something else by it is listed in BY_COMMAND
BY_DEST = {
    "json": "以 JSON 输出（供脚本读取）",
    "period": "期间：年份 2018、季度 2018Q1 或月份 2018-03",
    "reason": "事由（记入审计日志）",
    "unit": "单位名（可写别名）",
    "year": "年份，如 2019",
    "scheme": "只限这一方案（方案编号）",
    "role": "角色：administrator＝管理员，assessor＝考核科室，unit＝被考核单位",
    "state": "只列这一状态：pending＝待审批，approved＝已同意，rejected＝未同意",
    "format": "文件格式：xlsx（默认）、csv、csv-gbk（WPS/Excel 直接打开）或 json",
    "output": "写到这个文件（已存在则须加 --force）",
    "since": "只列这一时刻之后的（YYYY-MM-DD 或 YYYY-MM-DD HH:MM）",
    "host": "监听的地址（默认只本机：127.0.0.1）",
    "port": "监听的端口（默认 8000）",
    "indicator": "指标（评分表中的一行，写名称即可）",
    "points": "分值",
    "date": "日期 YYYY-MM-DD",
    "pairs": "参数=值，可写多项（kaohe scheme params 列出可调的参数）",
}
BY_COMMAND = {
    ("self-score", "points"): "自评分（重点指标扣分写负数或0，特别附加分写所得分）",
    ("self-score", "reason"): "原因：自评低于满分时必填（加（扣）分原因）",
    ("oa-signing", "date"): "发文日期 YYYY-MM-DD",
    ("history", "unit"): "只列这一单位的",
    ("ledger", "unit"): "只列这一单位的记录（可写别名）",
    ("grant", "scheme"): "角色限于这一方案（不写：所有方案）",
    ("cases", "unit"): "只列这一单位的案件（可写别名）",
}


def fill_help(parser: argparse.ArgumentParser, command: str = "") -> None:
    """Give every option and argument of ``parser`` and its subcommands that has no help its
    Chinese text (an option nobody described here keeps none: tests/test_cli_help finds it)."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                fill_help(sub, name if not command else f"{command} {name}")
        elif action.help is None:
            last = command.split(" ")[-1] if command else ""
            action.help = BY_COMMAND.get((last, action.dest)) or BY_DEST.get(action.dest)
