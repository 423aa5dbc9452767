"""``kaohe --help`` and argparse's errors in Chinese (#17): option names, command names, choices
and metavars stay as the contracts spell them (DESIGN.md); every other word is Chinese."""

from __future__ import annotations

import re

from conftest import cli_commands, run_in_process

# ASCII words a help text may still hold besides options, metavars and the commands it lists:
# the program, a plugin's scheme id, file formats and the tools they name
NAMES = {"bureau", "departments", "xlsx", "json", "excel", "setgid", "textual", "serve", "rules", "roster",
         "communities", "district", "categories"}


def english_words(help_text: str) -> set[str]:
    """ASCII words of 4+ letters that are not an option (--x-y), a metavar or env var (UPPER),
    a listed command (first word of a 4-space-indented line) or one of NAMES."""
    words = set()
    for line in help_text.splitlines():
        line = re.sub(r"kaohe(?: [a-z][\w-]*)*", " ", line)  # the program and its command path (usage)
        line = re.sub(r"--?[A-Za-z][\w-]*", " ", line)  # option names
        # values a user types: {a,b} choices, a value explained (a＝… or a（…）), snake_case field names
        line = re.sub(r"\{[\w,-]+\}|[a-z_]+(?=[＝（])|[a-z]+_[a-z_]+", " ", line)
        line = re.sub(r"^ {2}(?: {2})?[a-z][\w-]*(?= {2}|$)", " ", line)  # a listed command or positional
        line = re.sub(r"\b[A-Z][A-Z0-9_]*\b", " ", line)  # metavars, env vars
        words |= {w.lower() for w in re.findall(r"[A-Za-z]{4,}", line)}
    return words - NAMES


def test_the_check_catches_english():
    assert english_words("  -h, --help  show this help message and exit") == {"show", "this", "help", "message",
                                                                               "exit"}
    assert english_words("usage: kaohe record [--unit UNIT] scheme\n\noptions:\n    schemes   the schemes") == {
        "usage", "options", "scheme", "schemes"}
    assert english_words("  -h, --help  显示本帮助并退出\n    record   向台账添加一条记录\n  --unit UNIT") == set()
    assert english_words("  --kind {meeting,other}  meeting＝会议类 / other kinds") == {"other", "kinds"}


def test_kaohe_help_is_chinese():
    proc = run_in_process(["--help"])
    assert proc.returncode == 0
    assert english_words(proc.stdout) == set(), proc.stdout
    assert proc.stdout.startswith("用法：kaohe ")
    for line in ("选项:", "命令:", "显示本帮助并退出", "record           向台账添加一条记录",
                 "withdraw-import  撤回一次平台案件导入",
                 "self-score       bureau-departments：录入单位某一指标的自评分"):
        assert line in proc.stdout, line


def test_record_help_is_chinese():
    proc = run_in_process(["record", "--help"])
    assert proc.returncode == 0
    assert english_words(proc.stdout) == set(), proc.stdout
    assert "参数:" in proc.stdout and "选项:" in proc.stdout
    assert re.search(r"--unit UNIT +单位名（可写别名）", proc.stdout)
    assert re.search(r"--attr KEY=VALUE +条款可能依据的属性", proc.stdout)
    # the one set of options each subcommand shares is listed once, under 选项
    assert proc.stdout.count("--db DB ") == 1


def test_subcommand_help_is_chinese():
    for argv in (["scheme", "--help"], ["scheme", "set", "--help"], ["bonus", "--help"], ["oa-signing", "--help"],
                 ["cases", "--help"], ["export", "--help"], ["import", "--help"]):
        proc = run_in_process(argv)
        assert proc.returncode == 0
        assert english_words(proc.stdout) == set(), (argv, proc.stdout)


def test_every_command_help_is_chinese():
    """Each command the parser has, the plugins' included (wide lines: a choice explained as
    ``unit＝被考核单位`` must not be cut between the two)."""
    for path, _ in cli_commands():
        proc = run_in_process([*path.split(), "--help"], env={"COLUMNS": "200"})
        assert proc.returncode == 0, path
        assert english_words(proc.stdout) == set(), (path, proc.stdout)


def test_argparse_errors_are_one_chinese_line():
    cases = [
        (["record", "fixture"],
         "kaohe: 缺少必填参数：--period, --unit, --indicator, --reason（kaohe record --help 看用法）"),
        (["record", "fixture", "--period", "2018", "--unit", "A", "--indicator", "i", "--reason", "r",
          "--count", "1", "--amount", "2"], "kaohe: --amount 与 --count 只能写一个（kaohe record --help 看用法）"),
        (["grant", "x", "--role", "boss"],
         "kaohe: --role：'boss' 不是可选值（可选：'administrator', 'assessor', 'unit'）（kaohe grant --help 看用法）"),
        (["units", "fixture", "--year", "abc"], "kaohe: --year：'abc' 不是数字（kaohe units --help 看用法）"),
        (["schemes", "--bogus"], "kaohe: 不认识的参数：--bogus（kaohe --help 看用法）"),
    ]
    for argv, line in cases:
        proc = run_in_process(argv)
        assert proc.returncode == 2, argv
        assert proc.stderr == line + "\n", proc.stderr
    wrong = run_in_process(["recrod"])
    assert wrong.returncode == 2 and wrong.stderr.startswith("kaohe: 命令：'recrod' 不是可选值（可选：'schemes', ")


def test_attr_without_equals_is_chinese(k):
    bad = k.run("record", "fixture", "--period", "2018", "--unit", "A", "--indicator", "i", "--reason", "r",
                "--attr", "未安装客户端", ok=False)
    assert bad.stderr == "kaohe: --attr 未安装客户端：请写成 键=值（如 未安装客户端=1）\n"
