"""The ``kaohe`` command: every capability reachable headless. No business logic here: each
subcommand parses, calls the core, and prints. Bad input: one line on stderr, exit 2, nothing
written. No traceback ever reaches a user."""

from __future__ import annotations

import argparse
import os
import sys

from kaohe_tui.cli_support import json_out  # noqa: F401 — kept importable from here
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t

EXIT_BAD_INPUT = 2


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", default=argparse.SUPPRESS, help="the database file (default: KAOHE_DB or the user data folder)")
    common.add_argument("--plugins-dir", action="append", default=argparse.SUPPRESS, metavar="DIR",
                        help="load every *.py plugin in DIR (repeatable)")
    parser = argparse.ArgumentParser(prog="kaohe", parents=[common],
                                     description="考核 — performance-assessment schemes: ledger, scores, ranks, explanations.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def cmd(name: str, help: str) -> argparse.ArgumentParser:
        return sub.add_parser(name, parents=[common], help=help, description=help)

    p = cmd("schemes", "the schemes, with their periods and plugin")
    p.add_argument("--json", action="store_true")
    p = cmd("units", "the units of a scheme, with category and attributes")
    p.add_argument("scheme")
    p.add_argument("--year", type=int, help="that year's unit list (an office year has its own)")
    p.add_argument("--json", action="store_true")
    p.add_argument("--retire", metavar="NAME", help="the unit leaves rankings and consequences; its records stay")
    p.add_argument("--reason", help="why the unit is retired")
    p = cmd("rules", "the indicator tree: names, max points, clause ids and texts")
    p.add_argument("scheme")
    p.add_argument("--year", type=int, help="the tree as it stands for that year (the office's changes)")
    p.add_argument("--json", action="store_true")
    p = cmd("record", "add one record to the ledger")
    p.add_argument("scheme")
    p.add_argument("--period", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--indicator", required=True)
    p.add_argument("--clause")
    figure = p.add_mutually_exclusive_group()
    figure.add_argument("--count")
    figure.add_argument("--amount")
    figure.add_argument("--value")
    p.add_argument("--date")
    p.add_argument("--reason", required=True)
    p.add_argument("--attr", action="append", default=[], metavar="KEY=VALUE",
                   help="an attribute a clause may depend on (e.g. 未安装客户端=1)")
    p.add_argument("--supersede", action="store_true",
                   help="a second figure for the same unit, indicator, clause and period replaces the first")
    p = cmd("withdraw", "withdraw a record (records are never deleted)")
    p.add_argument("scheme")
    p.add_argument("record_id", type=int)
    p.add_argument("--reason", required=True)
    p = cmd("import", "import ledger rows from CSV (UTF-8 or GBK) or xlsx")
    p.add_argument("scheme")
    p.add_argument("file")
    p.add_argument("--period")
    p.add_argument("--skip-invalid", action="store_true", help="import the good rows; write the rejected ones beside the file")
    p.add_argument("--kind", default="auto",
                   help="ledger, cases, units, or a plugin's kind (e.g. roster); auto: judged by the header")
    p.add_argument("--map", action="append", default=[], metavar="HEADER=FIELD",
                   help="a case file: the column HEADER holds FIELD (case_id, unit, reported_at, filed_at, deadline, "
                        "closed_at, disposed_at, force_closed_at, status, satisfaction, …; ignore: leave it unused)")
    p.add_argument("--profile", help="a case file: the import profile to read it with (else chosen by its header)")
    p.add_argument("--supersede", action="store_true",
                   help="a ledger row may replace the figure an input already has (both stay in the explanation)")
    p = cmd("score", "score a scheme for a period")
    p.add_argument("scheme")
    p.add_argument("--period", required=True)
    p.add_argument("--json", action="store_true")
    p = cmd("status", "what is entered, missing, flagged or superseded, per unit × indicator (× month)")
    p.add_argument("scheme")
    p.add_argument("--period", required=True)
    p.add_argument("--json", action="store_true")
    p = cmd("ledger", "the records of a period (withdrawn ones marked)")
    p.add_argument("scheme")
    p.add_argument("--period", required=True)
    p.add_argument("--unit")
    p.add_argument("--json", action="store_true")
    p = cmd("cases", "the platform cases of a period, each with the class it was counted in")
    p.add_argument("scheme")
    p.add_argument("--period", help="required unless --import or --imports")
    p.add_argument("--unit")
    p.add_argument("--status", choices=["on_time", "extended", "overdue", "open_late", "open", "closed", "void"],
                   help="only the cases of this class")
    p.add_argument("--import", dest="import_id", type=int, metavar="N", help="only the cases import N last wrote")
    p.add_argument("--imports", action="store_true", help="list the imports of case files instead")
    p.add_argument("--counted", metavar="FIGURE",
                   help="only the cases a figure counted: red_light, rework, extensions, first_time, visited, …")
    p.add_argument("--json", action="store_true")
    p = cmd("withdraw-import", "withdraw one import of platform cases (its cases go; the audit keeps it)")
    p.add_argument("scheme")
    p.add_argument("import_id", type=int)
    p.add_argument("--reason", required=True)
    p = cmd("explain", "every point lost or gained by a unit, with its records and clauses")
    p.add_argument("scheme")
    p.add_argument("--period", required=True)
    p.add_argument("--unit", required=True)
    p.add_argument("--json", action="store_true")
    p = cmd("export", "export a scheme's results")
    p.add_argument("scheme")
    p.add_argument("--period", required=True)
    p.add_argument("--format", default="xlsx")
    p.add_argument("-o", "--output", required=True)
    p.add_argument("--what", default="results",
                   help="results (default), the ledger with each record's clause, the audit log, or a "
                        "plugin's list (district-categories: communities = 附件1, roster = 附件2)")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database)")
    p = cmd("plugins", "loaded plugins, their hooks, and any that failed")
    p.add_argument("--json", action="store_true")
    p = cmd("lint", "scheme consistency: declared totals against the sum of their parts")
    p.add_argument("scheme", nargs="?")
    p = cmd("demo", "load a clearly labelled demo ledger for every scheme (or one)")
    p.add_argument("scheme", nargs="?")
    p.add_argument("--remove", action="store_true", help="withdraw the demo records again")
    p = cmd("history", "the audit log")
    p.add_argument("--unit")
    p.add_argument("--since")
    p.add_argument("--json", action="store_true")
    for name, help in (("close", "close (sign off) a period: its records and scores can no longer change"),
                       ("reopen", "reopen a closed period (administrators only)")):
        p = cmd(name, help)
        p.add_argument("scheme")
        p.add_argument("--period", required=True)
        p.add_argument("--reason", required=True)
    p = cmd("verify", "closed periods against their sign-off snapshots, and the audit chain; "
                      "non-zero naming what changed")
    p.add_argument("scheme", nargs="?")
    p.add_argument("--period")
    p = cmd("roles", "who holds which role")
    p.add_argument("--json", action="store_true")
    p = cmd("grant", "give an OS login a role (administrators only)")
    p.add_argument("login")
    p.add_argument("--role", required=True, choices=["administrator", "assessor", "unit"])
    p.add_argument("--scheme")
    p.add_argument("--section", help="the assessing section (考核扎口科室) an assessor acts as")
    p.add_argument("--unit", help="the unit a unit role speaks for")
    p.add_argument("--reason")
    p = cmd("revoke", "take a role away (administrators only)")
    p.add_argument("login")
    p.add_argument("--role", required=True, choices=["administrator", "assessor", "unit"])
    p.add_argument("--reason")
    p = cmd("backup", "an online backup of the database")
    p.add_argument("file")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists (never the database)")
    p = cmd("restore", "replace the database with a backup (administrators only; audited)")
    p.add_argument("file")
    p.add_argument("--reason")
    p = cmd("init-office", "set up a folder the office's group shares (setgid, group-owned) with its database")
    p.add_argument("folder")
    p.add_argument("--group", required=True, help="the office's OS group")
    p = cmd("serve", "the TUI for a browser on localhost (textual-serve)")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    from kaohe_tui.scheme_cli import add_commands as add_scheme_commands  # scheme new-year / set / params

    add_scheme_commands(cmd, common)
    # Plugins add their own subcommands (set_defaults(handler=...)); already loaded by main().
    from kaohe_tui import plugins

    plugins.call("kaohe_cli", add_command=cmd)
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
