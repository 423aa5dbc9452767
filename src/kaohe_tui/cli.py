"""The ``kaohe`` command: every capability reachable headless. No business logic here: each
subcommand parses, calls the core, and prints. Bad input: one line on stderr, exit 2, nothing
written. No traceback ever reaches a user."""

from __future__ import annotations

import argparse
import os
import sys

from kaohe_tui.cli_parser import KaoheParser
from kaohe_tui.cli_support import json_out  # noqa: F401 — kept importable from here
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

EXIT_BAD_INPUT = 2


def build_parser() -> KaoheParser:
    common = KaoheParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="数据库文件（默认：KAOHE_DB 或用户数据目录）")
    common.add_argument("--plugins-dir", action="append", default=argparse.SUPPRESS, metavar="DIR",
                        help="加载 DIR 中的每个 *.py 插件（可重复）")
    parser = KaoheParser(prog="kaohe", parents=[common],
                         description="考核：台账、计分、排名、扣分说明。不带命令则打开界面。")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", title="命令")

    def cmd(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help, description=help)

    p = cmd("schemes", "考核方案，及其期间与插件")
    p.add_argument("--json", action="store_true")
    p = cmd("units", "方案的单位，及其类别与属性")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--year", type=int, help="该年度的单位名单（办公室的年度各有其名单）")
    p.add_argument("--json", action="store_true")
    p.add_argument("--retire", metavar="NAME", help="该单位退出排名与结果运用；其记录保留")
    p.add_argument("--reason", help="退出的原因")
    p = cmd("rules", "指标树：名称、满分、条款编号与原文")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--year", type=int, help="该年度的指标树（含办公室的调整）")
    p.add_argument("--json", action="store_true")
    p = cmd("record", "向台账添加一条记录")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", required=True, help="期间，如 2025-03、2025Q1、2025")
    p.add_argument("--unit", required=True, help="单位名（可写别名）")
    p.add_argument("--indicator", required=True, help="指标（名称或路径）")
    p.add_argument("--clause", help="条款编号（kaohe rules 可查）")
    figure = p.add_mutually_exclusive_group()
    figure.add_argument("--count", help="次数（留空为1次）")
    figure.add_argument("--amount", help="分值")
    figure.add_argument("--value", help="数值")
    p.add_argument("--date", help="发生日期")
    p.add_argument("--reason", required=True, help="事由")
    p.add_argument("--attr", action="append", default=[], metavar="KEY=VALUE",
                   help="条款可能依据的属性（如 未安装客户端=1）")
    p.add_argument("--supersede", action="store_true",
                   help="同一单位、指标、条款和期间的第二个数取代第一个")
    p = cmd("withdraw", "撤回一条记录（记录从不删除）")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("record_id", metavar="RECORD_ID", help="记录编号", type=int)
    p.add_argument("--reason", required=True)
    p = cmd("import", "从 CSV（UTF-8 或 GBK）或 xlsx 导入台账等")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("file", metavar="FILE", help="文件")
    p.add_argument("--period")
    p.add_argument("--skip-invalid", action="store_true", help="导入合格的行；被拒的行另存在文件旁")
    p.add_argument("--kind", default="auto",
                   help="ledger（台账）、cases（案件）、units（单位）或插件的类别（如 roster）；"
                        "auto（默认）＝按表头判断")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                   help="案件文件：列 HEADER 存放字段 FIELD（如 case_id、reported_at、filed_at、closed_at；"
                        "ignore＝不用该列）")
    p.add_argument("--profile", help="案件文件：用哪个导入配置读取（默认按表头选择）")
    p.add_argument("--supersede", action="store_true",
                   help="台账行可取代某项已有的数（两者都留在说明中）")
    p = cmd("score", "计算方案某期间的得分")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", required=True)
    p.add_argument("--json", action="store_true")
    p = cmd("status", "按单位×指标（×月）列出已录、缺失、存疑或被取代的数")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", required=True)
    p.add_argument("--json", action="store_true")
    p = cmd("ledger", "某期间的记录（已撤回的有标注）")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", required=True)
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p = cmd("cases", "某期间的平台案件，及各自计入的类别")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", help="除非用 --import 或 --imports，否则必填")
    p.add_argument("--unit")
    p.add_argument("--status", choices=["on_time", "extended", "overdue", "open_late", "open", "closed", "void"],
                   help="只列此类案件")
    p.add_argument("--import", dest="import_id", type=int, metavar="N", help="只列第 N 次导入最后写入的案件")
    p.add_argument("--imports", action="store_true", help="改为列出案件文件的各次导入")
    p.add_argument("--counted", metavar="FIGURE",
                   help="只列某项数计入的案件（如 red_light、first_time；写错时列出可选值）")
    p.add_argument("--json", action="store_true")
    p = cmd("withdraw-import", "撤回一次平台案件导入（其案件移除；审计日志保留）")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("import_id", metavar="IMPORT_ID", help="导入编号（kaohe cases --imports 可查）", type=int)
    p.add_argument("--reason", required=True)
    p = cmd("explain", "单位每一分的得失，及其记录与条款")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--json", action="store_true")
    p = cmd("export", "导出方案的结果")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
    p.add_argument("--period", required=True)
    p.add_argument("--format", default="xlsx")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--what", default="results",
                   help="results（结果，默认）、ledger（台账，含各记录的条款）、audit（审计日志）或插件的清单"
                        "（district-categories：communities＝附件1，roster＝附件2）")
    p.add_argument("--force", action="store_true", help="文件已存在则替换（数据库除外）")
    p = cmd("plugins", "已加载的插件、其钩子及加载失败的插件")
    p.add_argument("--json", action="store_true")
    p = cmd("lint", "方案自洽检查：声明的总分与各部分之和")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）", nargs="?")
    p = cmd("demo", "为每个方案（或某一个）载入标明为示例的台账")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）", nargs="?")
    p.add_argument("--remove", action="store_true", help="撤回示例记录")
    p = cmd("history", "审计日志")
    p.add_argument("--unit")
    p.add_argument("--since")
    p.add_argument("--json", action="store_true")
    for name, help in (("close", "签发关闭某期间：其记录和分数不能再改动"),
                       ("reopen", "重新开启已关闭的期间（仅管理员）")):
        p = cmd(name, help)
        p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）")
        p.add_argument("--period", required=True)
        p.add_argument("--reason", required=True)
    p = cmd("verify", "核对已关闭期间与签发快照、审计链；"
                      "有改动则以非零退出并指明改动")
    p.add_argument("scheme", metavar="SCHEME", help="方案编号（kaohe schemes 可查）", nargs="?")
    p.add_argument("--period")
    p.add_argument("--full", action="store_true", help="输入均与签发时一致也重新计分（较慢）")
    p = cmd("roles", "谁担任哪个角色")
    p.add_argument("--json", action="store_true")
    p = cmd("grant", "授予系统登录名一个角色（仅管理员）")
    p.add_argument("login", metavar="LOGIN", help="系统登录名")
    p.add_argument("--role", required=True, choices=["administrator", "assessor", "unit"])
    p.add_argument("--scheme")
    p.add_argument("--section", help="考核员代表的考核扎口科室")
    p.add_argument("--unit", help="单位角色代表的单位")
    p.add_argument("--reason")
    p = cmd("revoke", "撤销角色（仅管理员）")
    p.add_argument("login", metavar="LOGIN", help="系统登录名")
    p.add_argument("--role", required=True, choices=["administrator", "assessor", "unit"])
    p.add_argument("--reason")
    p = cmd("backup", "在线备份数据库")
    p.add_argument("file", metavar="FILE", help="文件")
    p.add_argument("--force", action="store_true", help="文件已存在则替换（数据库除外）")
    p = cmd("restore", "用备份替换数据库（仅管理员；记入审计）")
    p.add_argument("file", metavar="FILE", help="文件")
    p.add_argument("--reason")
    p = cmd("init-office", "建立办公室组共用的文件夹（setgid、属组）及其数据库")
    p.add_argument("folder", metavar="FOLDER", help="文件夹")
    p.add_argument("--group", required=True, help="办公室的系统用户组")
    p = cmd("serve", "在本机浏览器中使用界面（textual-serve）")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    from kaohe_tui.scheme_cli import add_commands as add_scheme_commands  # scheme new-year / set / params

    add_scheme_commands(cmd, common)
    # Plugins add their own subcommands (set_defaults(handler=...)); already loaded by main().
    from kaohe_tui import plugins

    plugins.call("kaohe_cli", add_command=cmd)
    from kaohe_tui.cli_help import fill_help

    fill_help(parser)  # the options declared without help (--json, --period, … and plugins' own)
    return parser


def main(argv: list[str] | None = None) -> int:
    # Plugins load first (their folders may be named on the command line): they add commands.
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--plugins-dir", action="append", default=[])
    known, _ = early.parse_known_args(argv)
    from kaohe_tui import plugins

    plugins.load_plugins(known.plugins_dir)
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        if args.command is None:
            return _run_tui(args)
        handler = getattr(args, "handler", None)
        if handler is None:
            from kaohe_tui import commands

            handler = getattr(commands, "cmd_" + args.command.replace("-", "_"))
        return handler(args) or 0
    except KaoheError as exc:
        print(f"kaohe: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print(f"kaohe: {t('cli_interrupted')}", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # a bug: still one line for the user, details on request
        if os.environ.get("KAOHE_DEBUG"):
            raise
        print(f"kaohe: {t('cli_internal_error', kind=type(exc).__name__, error=exc)}", file=sys.stderr)
        return 1


def _run_tui(args) -> int:
    from kaohe_tui.tui.app import KaoheApp

    KaoheApp(db_path=getattr(args, "db", None)).run()
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
