"""The performance runner: one table of figures and ratios against baselines run on the same
files in the same script (these machines are shared and noisy: ratios, not absolute times).

    python benchmarks/run.py [--work DIR] [--small] [--only import_shapes …] [--shapes own iso-t …]

--small uses 10^4/10^5 cases for a quick look; the targets are stated for 10^5/10^6. The rows are
the functions of ``ROWS`` (and ``score_bench.ROWS`` when that module is beside this one).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

SCHEME = "city-coordination"
ENV = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1"}


def kaohe(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kaohe_tui", "--db", str(db), *args]


def timed_process(cmd: list[str], stdout=subprocess.DEVNULL) -> tuple[float, float]:
    """Wall seconds and peak resident memory (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, env=ENV, stdout=stdout, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    err = proc.stderr.read().decode() if proc.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err}")
    return elapsed, usage.ru_maxrss / 1024


def best_of(n: int, fn) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def sqlite_import(db: Path, csv_path: Path) -> float:
    db.unlink(missing_ok=True)
    start = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=f".mode csv\n.import {csv_path} cases\n", text=True, check=True)
    return time.perf_counter() - start


BASELINE_SQL = """
SELECT unit, count(*),
  sum(closed_at IS NOT NULL AND closed_at <= deadline AND extensions = 0),
  sum(closed_at IS NOT NULL AND closed_at <= deadline AND extensions > 0),
  sum(closed_at IS NOT NULL AND closed_at > deadline)
FROM cases WHERE scheme = ? AND reported_at >= ? AND reported_at < ? GROUP BY unit
"""


def prepare(work: Path, cases: int, data: Path, name: str = "bench") -> Path:
    db = work / f"{name}_{cases}.db"
    for leftover in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        leftover.unlink(missing_ok=True)
    subprocess.run(kaohe(db, "import", SCHEME, str(data / "units.csv"), "--kind", "units"), env=ENV, check=True,
                   stdout=subprocess.DEVNULL)
    return db


def scoring_figures(db: Path) -> tuple[float, float]:
    """(kaohe scoring a full year: 4 quarters + annual, hand-written SQL closure rates for the same)."""
    import sqlite3

    from kaohe_tui import catalog, plugins
    from kaohe_tui.periods import Period
    from kaohe_tui.scoring import Scorer
    from kaohe_tui.store import Store

    plugins.load_plugins()
    store = Store(db)
    scheme = catalog.get(SCHEME)
    year = Period.parse("2018")
    kaohe_time = best_of(3, lambda: Scorer(store, scheme).score(year))
    conn = sqlite3.connect(db)
    bounds = [(p.start.isoformat(), p.end.isoformat() + "~") for p in [*year.quarters(), year]]
    sql_time = best_of(3, lambda: [conn.execute(BASELINE_SQL, (SCHEME, a, b)).fetchall() for a, b in bounds])
    conn.close()
    store.close()
    return kaohe_time, sql_time


class Bench:
    """What the row functions share: the work folder, the data, the case counts, the databases."""

    def __init__(self, work: Path, small: int, big: int, shapes: list[str], runs: int = 3):
        self.work, self.data, self.small, self.big = work, work / "data", small, big
        self.shapes, self.runs = shapes, runs
        self.dbs: dict[int, Path] = {}
        self.rows: list[tuple[str, str, str, str, str]] = []

    def add(self, what: str, figure: str, baseline: str, ratio: str, target: str, ok: bool) -> None:
        self.rows.append((what, figure, baseline, ratio, f"{target} {'✓' if ok else '✗'}"))

    def cases_file(self, n: int, shape: str = "own", later: bool = False) -> Path:
        name = f"cases_{n}.csv" if shape == "own" else f"cases_{n}_{shape}.csv"
        path = self.data / (name.replace(".csv", "_later.csv") if later else name)
        if not path.exists():  # written whole, then renamed: never a partial file
            generate.write_cases(path.with_suffix(".part"), n, shape=shape, later=later)
            path.with_suffix(".part").rename(path)
        return path


def import_shapes(b: Bench) -> None:
    """Importing the big case file in every shape, against sqlite3's own .import of the same file
    (the same run, best of ``runs`` each, a fresh database each time)."""
    for shape in b.shapes:
        what = generate.SHAPES[shape][0]
        path = b.cases_file(b.big, shape)
        runs = []
        for _ in range(b.runs):
            db = prepare(b.work, b.big, b.data)
            runs.append(timed_process(kaohe(db, "import", SCHEME, str(path), *generate.ARGS.get(shape, []))))
        t_import, rss = min(r[0] for r in runs), max(r[1] for r in runs)
        t_sqlite = min(sqlite_import(b.work / "baseline.db", path) for _ in range(b.runs))
        ok = t_import / t_sqlite <= 2 and rss <= 200
        b.add(f"import {b.big:,} cases: {what}", f"{t_import:.2f} s, {rss:.0f} MB", f"sqlite3 .import {t_sqlite:.2f} s",
              f"{t_import / t_sqlite:.2f}×", "≤ 2×, ≤ 200 MB", ok)
        if shape == "own":
            b.dbs[b.big] = db  # the scoring rows read its cases


def reimport(b: Bench) -> None:
    """A later export of the same cases (those open before now closed): updates by id."""
    later = b.cases_file(b.big, "own", later=True)
    runs = []
    for _ in range(b.runs):
        db = prepare(b.work, b.big, b.data, name="reimport")
        subprocess.run(kaohe(db, "import", SCHEME, str(b.cases_file(b.big))), env=ENV, check=True,
                       stdout=subprocess.DEVNULL)
        runs.append(timed_process(kaohe(db, "import", SCHEME, str(later))))
    t_again, rss = min(r[0] for r in runs), max(r[1] for r in runs)
    t_sqlite = min(sqlite_import(b.work / "baseline.db", later) for _ in range(b.runs))
    b.add(f"re-import a later export of the same {b.big:,} cases (updates by id)", f"{t_again:.2f} s, {rss:.0f} MB",
          f"sqlite3 .import {t_sqlite:.2f} s", f"{t_again / t_sqlite:.2f}×", "≤ 3×", t_again / t_sqlite <= 3)


def scoring(b: Bench) -> None:
    """Scoring a full year over the cases, against a hand-written SQL aggregate; growth."""
    big, small = b.big, b.small
    if big not in b.dbs:
        b.dbs[big] = prepare(b.work, big, b.data)
        subprocess.run(kaohe(b.dbs[big], "import", SCHEME, str(b.cases_file(big))), env=ENV, check=True,
                       stdout=subprocess.DEVNULL)
    b.dbs[small] = prepare(b.work, small, b.data)
    subprocess.run(kaohe(b.dbs[small], "import", SCHEME, str(b.cases_file(small))), env=ENV, check=True,
                   stdout=subprocess.DEVNULL)
    k_big, sql_big = scoring_figures(b.dbs[big])
    k_small, _ = scoring_figures(b.dbs[small])
    b.add(f"score a year (4 quarters + annual), {big:,} cases", f"{k_big:.3f} s", f"SQL aggregate {sql_big:.3f} s",
          f"{k_big / sql_big:.2f}×", "≤ 3× and < 2 s", k_big / sql_big <= 3 and k_big < 2)
    b.add(f"growth: scoring {big:,} vs {small:,} cases", f"{k_big:.3f} s", f"{k_small:.3f} s",
          f"{k_big / k_small:.2f}×", "≤ 12×", k_big / k_small <= 12)


def ledger(b: Bench) -> None:
    """A 10^5-row ledger: import, whole-process score --json; the CLI's import time."""
    db = b.dbs[b.small]
    t_ledger, _ = timed_process(kaohe(db, "import", SCHEME, str(b.data / "ledger_100000.csv")))
    b.add("import a 100,000-row ledger", f"{t_ledger:.2f} s", "", "", "(figure)", True)
    t_score, _ = timed_process(kaohe(db, "score", SCHEME, "--period", "2018Q1", "--json"))
    t_hello, _ = timed_process([sys.executable, "-c", "pass"])
    b.add("kaohe score --json, 100 units, 10^5 cases + 10^5-row ledger (whole process)", f"{t_score:.2f} s",
          f"python -c pass {t_hello:.2f} s", f"{t_score / t_hello:.1f}×", "< 1 s", t_score < 1)
    imports = subprocess.run([sys.executable, "-X", "importtime", "-c", "import kaohe_tui.cli, kaohe_tui.commands"],
                             capture_output=True, text=True, env=ENV).stderr
    top = sorted((line.split("|") for line in imports.splitlines() if line.startswith("import time:") and "|" in line
                  and line.split("|")[1].strip().isdigit()), key=lambda p: -int(p[1]))[:1]
    if top:
        b.add("module import time (CLI), -X importtime", f"{int(top[0][1]) / 1e6:.3f} s", "", "", "(figure)", True)


def exports(b: Bench) -> None:
    """A 10^6-row ledger to CSV (against sqlite3's CSV output), 100-unit results to xlsx."""
    db, work = b.dbs[b.small], b.work
    generate.grow_ledger(db, 1_000_000)
    out = work / "ledger_export.csv"
    t_export, rss_export = timed_process(kaohe(db, "export", SCHEME, "--period", "2018", "--what", "ledger",
                                               "--format", "csv", "-o", str(out)))
    start = time.perf_counter()
    subprocess.run(["sqlite3", str(db)], input=f".mode csv\n.headers on\n.output {work / 'baseline_export.csv'}\n"
                   "SELECT * FROM records;\n", text=True, check=True)
    t_base_export = time.perf_counter() - start
    b.add("export a 1,000,000-row ledger to CSV", f"{t_export:.2f} s", f"sqlite3 .mode csv {t_base_export:.2f} s",
          f"{t_export / t_base_export:.2f}×", f"(figure; {rss_export:.0f} MB peak)", True)
    k_ledger, _ = scoring_figures(db)
    b.add("open results: score a year, 100 units, 10^6-record ledger (in-process, as the TUI's worker)",
          f"{k_ledger:.2f} s", "", "", "(figure)", True)
    t_xlsx, _ = timed_process(kaohe(db, "export", SCHEME, "--period", "2018", "--format", "xlsx",
                                    "-o", str(work / "results.xlsx")))
    b.add("score a year + export 100-unit results to xlsx (10^6-record ledger, whole process)", f"{t_xlsx:.2f} s",
          "", "", "(figure)", True)


def tui(b: Bench) -> None:
    script = HERE / "tui_start.py"
    if script.exists():
        proc = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, env=ENV)
        b.add("TUI cold start to first screen", proc.stdout.strip().splitlines()[-1] if proc.stdout.strip() else "?",
              "", "", "< 1 s", _seconds(proc.stdout) < 1)


# The table's rows, in order: each a function of the Bench adding its rows. Another module may
# add its own (benchmarks/score_bench.py: ROWS, run after these).
ROWS = [import_shapes, reimport, scoring, ledger, exports, tui]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--work", type=Path)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--keep", action="store_true")
    parser.add_argument("--only", nargs="*", help="row functions to run (default: all), e.g. import_shapes")
    parser.add_argument("--shapes", nargs="*", default=list(generate.SHAPES), choices=list(generate.SHAPES))
    parser.add_argument("--runs", type=int, default=3, help="best of how many runs (import rows)")
    args = parser.parse_args()
    small, big = (10_000, 100_000) if args.small else (100_000, 1_000_000)
    work = args.work or Path(tempfile.mkdtemp(prefix="kaohe-bench-"))
    bench = Bench(work, small, big, args.shapes, args.runs)
    bench.data.mkdir(parents=True, exist_ok=True)
    start = time.perf_counter()
    generate.write_units(bench.data / "units.csv")
    if not (bench.data / "ledger_100000.csv").exists():
        generate.write_ledger(bench.data / "ledger_100000.csv.part", 100_000)
        (bench.data / "ledger_100000.csv.part").rename(bench.data / "ledger_100000.csv")
    print(f"data ready in {time.perf_counter() - start:.1f}s ({work})", file=sys.stderr)
    rows = list(ROWS)
    try:
        import score_bench  # noqa: PLC0415  (perf-score's rows, when present)

        rows += list(getattr(score_bench, "ROWS", []))
    except ImportError:
        pass
    for row in rows:
        if not args.only or row.__name__ in args.only:
            row(bench)
            print(f"{row.__name__} done at {time.perf_counter() - start:.0f}s", file=sys.stderr)

    print(f"kaohe benchmarks — {time.strftime('%Y-%m-%d')} — {platform.machine()}, {os.cpu_count()} cores, "
          f"Python {platform.python_version()}, SQLite {__import__('sqlite3').sqlite_version}"
          f" (bulk case import: sqlean.py's SQLite {_sqlean_version()})")
    widths = [max(len(r[i]) for r in bench.rows + [HEADER]) for i in range(5)]
    for row in [HEADER, tuple("-" * w for w in widths), *bench.rows]:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + " |")
    if not args.keep and not args.work:
        shutil.rmtree(work, ignore_errors=True)


HEADER = ("measure", "kaohe", "baseline", "ratio", "target")


def _sqlean_version() -> str:
    try:
        return __import__("sqlean").sqlite_version
    except ImportError:
        return "not installed: the careful path"


def _seconds(text: str) -> float:
    import re

    m = re.search(r"([\d.]+)\s*(ms|s)\b", text or "")
    if not m:
        return float("inf")
    return float(m.group(1)) / (1000 if m.group(2) == "ms" else 1)


if __name__ == "__main__":
    main()
