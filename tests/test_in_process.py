"""The tests' in-process ``kaohe`` (conftest.run_in_process) gives what a real ``python -m
kaohe_tui`` process gives: same exit status, same stdout, same stderr, for a sample of commands —
successes, refusals, tables, JSON — each run on its own database both ways."""

from __future__ import annotations

from conftest import CORE_PLUGIN, Kaohe

SESSION = [
    ("schemes", "--json"),
    ("record", "fixture", "--period", "2018", "--unit", "党办", "--indicator", "工作纪律", "--clause", "late",
     "--count", "3", "--reason", "迟到3次"),
    ("record", "fixture", "--period", "2018", "--unit", "丙科", "--indicator", "工作纪律", "--clause", "late",
     "--reason", "x"),  # refused: not a unit of the scheme
    ("score", "fixture", "--period", "2018"),
    ("score", "fixture", "--period", "2018", "--json"),
    ("explain", "fixture", "--period", "2018", "--unit", "党委办"),
    ("rules", "fixture"),
    ("no-such-command",),  # argparse's own refusal and exit status 2
]


def test_in_process_equals_a_real_process(tmp_path):
    sessions = []
    for real in (False, True):
        k = Kaohe(tmp_path / f"{real}.db", [CORE_PLUGIN], subprocess=real)
        sessions.append([(p.returncode, p.stdout.replace(str(k.db), "DB"), p.stderr.replace(str(k.db), "DB"))
                         for p in (k.run(*args, ok=None) for args in SESSION)])
    in_process, real_process = sessions
    for args, mine, theirs in zip(SESSION, in_process, real_process, strict=True):
        assert mine == theirs, args
    assert [code for code, _, _ in real_process] == [0, 0, 2, 0, 0, 0, 0, 2]  # the sample holds refusals too
