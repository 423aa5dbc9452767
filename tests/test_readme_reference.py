"""The README's command reference names every command and option the parser has (#16/#18's
known limit: `verify --full`, `export --what`, `import --supersede`, `scheme params` … were added
without a word in the README). A command or option added later fails here until it is listed."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

from conftest import cli_commands

README = Path(__file__).parents[1] / "README.md"
COMMON = {"--help", "--db", "--plugins-dir"}  # every command's; said once above the table


def reference() -> dict[str, str]:
    """The reference table's rows by their command path ("scheme set"): the whole row's text."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Command reference\n", 1)[1].split("\n## ", 1)[0]
    rows = {}
    for line in section.splitlines():
        found = re.match(r"\| `kaohe ([a-z][a-z -]*?)(?= [A-Z\[]|`)", line)
        if found:
            rows[found[1]] = line
    return rows


def options(parser: argparse.ArgumentParser) -> list[str]:
    """The command's own long options (a subcommand group's parser has none but help)."""
    return [next(o for o in a.option_strings if o.startswith("--")) for a in parser._actions
            if a.option_strings and not isinstance(a, argparse._SubParsersAction)
            and not COMMON & set(a.option_strings)]


def test_every_command_and_option_is_in_the_readme_reference():
    rows = reference()
    commands = cli_commands()
    missing = []
    for path, parser in commands:
        has_subcommands = any(isinstance(a, argparse._SubParsersAction) for a in parser._actions)
        if has_subcommands and not options(parser):
            continue  # "scheme", "bonus": their subcommands have the rows
        row = rows.get(path)
        if row is None:
            missing.append(f"kaohe {path}")
            continue
        command = row.split("|")[1]
        for action in parser._actions:  # positionals in the command cell, by their metavar
            if not action.option_strings and not isinstance(action, argparse._SubParsersAction):
                if (action.metavar or action.dest) not in command:
                    missing.append(f"kaohe {path} {action.metavar or action.dest}")
        missing += [f"kaohe {path} {o}" for o in options(parser) if not re.search(rf"`[^`]*{o}(?![\w-])", row)]
    assert not missing, missing
    # and nothing listed that the parser no longer has
    assert set(rows) <= {path for path, _ in commands}, set(rows) - {path for path, _ in commands}
    text = README.read_text(encoding="utf-8").split("\n## Command reference\n", 1)[1].split("\n## ", 1)[0]
    assert all(o in text for o in ("`--db PATH`", "`--plugins-dir DIR`", "`-h/--help`"))


def test_the_check_catches_a_missing_option():
    rows = reference()
    parser = argparse.ArgumentParser()
    parser.add_argument("--full", action="store_true")
    parser.add_argument("--brand-new", action="store_true")
    assert [o for o in options(parser) if not re.search(rf"`[^`]*{o}(?![\w-])", rows["verify"])] == ["--brand-new"]
