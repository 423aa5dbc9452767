"""argparse in Chinese: ``kaohe --help`` and a mistyped command line read in the clerk's language.

Option names, command names and choices stay as they are (DESIGN.md contracts); only argparse's
own words change: the usage prefix, the section headings, ``-h``'s help, and its error line, which
becomes one line ``kaohe: …`` (exit 2) naming the command and where to look."""

from __future__ import annotations

import argparse
import functools
import re
import unicodedata

from kaohe_tui.messages import t

# argparse asks gettext for its words again for every parser made (kaohe's ~40 commands: ~130 asks),
# and gettext, finding no catalogue, searches the locale folders again each time: ~35 ms of every
# start-up. The answer to one word never changes in a process: asked once.
argparse._ = functools.lru_cache(maxsize=None)(argparse._)  # type: ignore[attr-defined]

# argparse's error sentences (Python 3.11), most specific first, → a catalogue key
_ERRORS = [
    (re.compile(r"the following arguments are required: (?P<args>.+)"), "cli_arg_required"),
    (re.compile(r"unrecognized arguments: (?P<args>.+)"), "cli_arg_unknown"),
    (re.compile(r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<choices>.+)\)"),
     "cli_arg_choice"),
    (re.compile(r"argument (?P<arg>\S+): invalid (?P<type>int|float) value: (?P<value>.+)"), "cli_arg_number"),
    (re.compile(r"argument (?P<arg>\S+): expected one argument"), "cli_arg_value"),
    (re.compile(r"argument (?P<arg>\S+): expected at least one argument"), "cli_arg_value"),
    (re.compile(r"argument (?P<arg>\S+): not allowed with argument (?P<other>\S+)"), "cli_arg_exclusive"),
    (re.compile(r"argument (?P<arg>\S+): ambiguous option: (?P<value>\S+) could match (?P<choices>.+)"),
     "cli_arg_ambiguous"),
    (re.compile(r"argument (?P<arg>\S+): (?P<error>.+)"), "cli_arg_other"),
]

_PLACEHOLDERS = {"COMMAND": "命令", "ACTION": "操作", "STEP": "步骤"}


def chinese_error(message: str) -> str:
    """argparse's English error → the catalogue's sentence (unknown shapes pass through as they are)."""
    for pattern, key in _ERRORS:
        match = pattern.fullmatch(message)
        if match:
            found = match.groupdict()
            if found.get("arg") in _PLACEHOLDERS:  # the subcommand's own slot: say what it is
                found["arg"] = _PLACEHOLDERS[found["arg"]]
            return t(key, **found)
    return message


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# what a line may break between: an ASCII word (never split), a run of spaces, or one other character
# (closing punctuation stays with what it closes, opening with what it opens)
_CHUNK = re.compile(r"[（「]*(?:[!-~]+|.)[、，。；：）」]*|\s+")


class ChineseHelpFormatter(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, "用法：" if prefix is None else prefix)

    def _split_lines(self, text, width):
        # by terminal columns (a Chinese character takes two), between characters but never inside a
        # word: argparse's textwrap counts 字 as one column and cuts district-categories in two
        lines, line = [], ""
        for chunk in _CHUNK.findall(" ".join(text.split())):
            if line and _columns(line + chunk) > width:
                lines.append(line.rstrip())
                line = chunk.lstrip()
            else:
                line += chunk
        return [*lines, line.rstrip()] if line else lines


class KaoheParser(argparse.ArgumentParser):
    """Subparsers are built with the parent's class, so every ``kaohe X`` gets the same words."""

    def __init__(self, *args, parents=(), **kwargs):
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        super().__init__(*args, **kwargs)
        self._positionals.title = "参数"
        self._optionals.title = "选项"
        # parents after the titles: their options then join this 选项 group, not a second one
        for parent in parents:
            self._add_container_actions(parent)
            self._defaults.update(parent._defaults)
        for action in self._actions:
            if isinstance(action, argparse._HelpAction):
                action.help = "显示本帮助并退出"

    def error(self, message: str):
        self.exit(2, f"kaohe: {t('cli_arg_error', prog=self.prog, error=chinese_error(message))}\n")

