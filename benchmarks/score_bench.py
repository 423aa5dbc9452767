"""Scoring, export, sign-off and verify on a big database, each against a baseline run on the same
file in the same script (best of three; ratios, since the machine is shared and noisy).

    python benchmarks/score_bench.py [--work DIR] [--small] [--only score_json export_ledger …]

``ROWS``: functions ``row(work, small) -> dict(name, kaohe, baseline, ratio, target, ok)``;
``benchmarks/run.py`` prints them in its table. Targets (issue 18) are for the full sizes:
a 10^6-record ledger, 10^6 platform cases.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import generate  # noqa: E402

ENV = {**os.environ, "KAOHE_NO_ENTRY_POINTS": "1"}
os.environ["KAOHE_NO_ENTRY_POINTS"] = "1"
CC, SL = "city-coordination", "street-linkage"


def kaohe(db: Path, *args: str) -> list[str]:
    return [sys.executable, "-m", "kaohe_tui", "--db", str(db), *args]


def run(cmd: list[str], **kw) -> None:
    subprocess.run(cmd, env=ENV, check=True, stdout=subprocess.DEVNULL, **kw)


def best(fn, n: int = 3) -> float:
    from run import best_of  # run.py's, imported late: run.py imports this module

    return best_of(n, fn)


def row(name: str, k: float, base: float | None, target: str, ok: bool) -> dict:
    return {"name": name, "kaohe": k, "baseline": base, "ratio": k / base if base else None, "target": target,
            "ok": ok}


# -- data (built once per work folder, not measured) ----------------------------------------------------
def ledger_db(work: Path, small: bool) -> tuple[Path, int]:
    """100 towns, a year of cases (10^5), the generator's 10^5-row ledger copied up to 10^6 rows
    (10^5 with --small)."""
    n = 100_000 if small else 1_000_000
    db = work / f"ledger_{n}.db"
    if db.exists():
        return db, n
    data = work / "data"
    data.mkdir(parents=True, exist_ok=True)
    generate.write_units(data / "units.csv")
    if not (data / "cases_100000.csv").exists():
        generate.write_cases(data / "cases_100000.csv", 100_000)
    if not (data / "ledger_100000.csv").exists():
        generate.write_ledger(data / "ledger_100000.csv", 100_000)
    part = db.with_suffix(".part")
    part.unlink(missing_ok=True)
    run(kaohe(part, "import", CC, str(data / "units.csv"), "--kind", "units"))
    run(kaohe(part, "import", CC, str(data / "cases_100000.csv")))
    run(kaohe(part, "import", CC, str(data / "ledger_100000.csv"), "--supersede"))  # re-entered figures
    generate.grow_ledger(part, n)
    part.rename(db)
    return db, n


def cases_db(work: Path, small: bool) -> tuple[Path, int]:
    """street-linkage (its red-light, extension and failed-check clauses read every case) with a
    year of platform cases over its own units, signed off (closed)."""
    n = 100_000 if small else 1_000_000
    db = work / f"sl_cases_{n}.db"
    if db.exists():
        return db, n
    part = work / f"sl_cases_{n}.part"
    part.unlink(missing_ok=True)
    run(kaohe(part, "schemes"))
    csv_path = work / "data" / f"sl_cases_{n}.csv"
    csv_path.parent.mkdir(parents=True, exist_ok=True)
    if not csv_path.exists():
        units = [r[0] for r in sqlite3.connect(part).execute(
            "SELECT name FROM units WHERE scheme = ? AND retired_at IS NULL ORDER BY id", [SL])]
        saved = generate.UNITS[:]
        generate.UNITS[:] = units
        try:
            generate.write_cases(csv_path, n, year=2012)
        finally:
            generate.UNITS[:] = saved
    run(kaohe(part, "import", SL, str(csv_path)))
    part.rename(db)
    return db, n


# -- rows ----------------------------------------------------------------------------------------------
BASELINE_SQL = ("SELECT unit, indicator, clause, period, max(id), count(*) FROM records "
                "WHERE scheme = ? AND withdrawn_at IS NULL GROUP BY 1, 2, 3, 4")


def score_year(work: Path, small: bool) -> dict:
    from kaohe_tui import catalog, plugins
    from kaohe_tui.periods import Period
    from kaohe_tui.scoring import Scorer
    from kaohe_tui.store import Store

    db, n = ledger_db(work, small)
    plugins.load_plugins()
    store = Store(db)
    scheme, year = catalog.get(CC), Period.parse("2018")
    t = best(lambda: Scorer(store, scheme).score(year))
    store.close()
    conn = sqlite3.connect(db)
    base = best(lambda: conn.execute(BASELINE_SQL, [CC]).fetchall())
    conn.close()
    return row(f"score a year (4 quarters + annual, 100 units), {n:,}-record ledger, in process", t,
               base, "≤ 1.5 s (baseline: SQL newest figure per input)", t <= 1.5)


def byte_compile() -> None:
    """Compile kaohe's modules and bundled plugins as an installation has them (pip compiles a
    wheel's modules; an editable install under PYTHONDONTWRITEBYTECODE=1 never does, and then
    every run compiles ~80 modules again: ~0.1 s of a 0.5 s target)."""
    import kaohe_tui
    from kaohe_tui.paths import bundled

    for folder in (Path(kaohe_tui.__file__).parent, bundled("plugins")):
        subprocess.run([sys.executable, "-m", "compileall", "-q", str(folder)], check=True, stdout=subprocess.DEVNULL)


def score_json(work: Path, small: bool) -> dict:
    db, n = ledger_db(work, True)  # the target is stated for a 10^5-record ledger
    byte_compile()
    run(kaohe(db, "score", CC, "--period", "2018Q1", "--json"))  # the scheme files' parse cached (scheme_cache)
    t = best(lambda: run(kaohe(db, "score", CC, "--period", "2018Q1", "--json")))
    base = best(lambda: run([sys.executable, "-c", "pass"]))
    return row(f"kaohe score --json, {n:,}-record ledger + 10^5 cases (whole process)", t, base,
               "< 0.5 s (baseline: python -c pass)", t < 0.5)


def export_ledger(work: Path, small: bool) -> dict:
    db, n = ledger_db(work, small)
    out, base_out = work / "ledger_export.csv", work / "baseline_export.csv"
    t = best(lambda: run(kaohe(db, "export", CC, "--period", "2018", "--what", "ledger", "--format", "csv",
                               "-o", str(out), "--force")))
    base = best(lambda: run(["sqlite3", str(db)], input=f".mode csv\n.headers on\n.output {base_out}\n"
                            "SELECT * FROM records;\n".encode()))
    return row(f"export a {n:,}-row ledger to CSV", t, base, "≤ 2× (baseline: sqlite3 .mode csv)", t <= 2 * base)


def close_and_verify(work: Path, small: bool) -> list[dict]:
    db, n = cases_db(work, small)
    signed = db.with_name(db.stem + ".signed.db")
    if not signed.exists():
        copy = db.with_name(db.stem + ".closing.db")
        shutil.copy(db, copy)
        start = time.perf_counter()
        run(kaohe(copy, "close", SL, "--period", "2012", "--reason", "基准测试"))
        t_close = time.perf_counter() - start
        copy.rename(signed)
        (work / f"close_{n}.txt").write_text(f"{t_close}")
    t_close = float((work / f"close_{n}.txt").read_text())
    conn = sqlite3.connect(signed)
    count_sql = ("SELECT unit, substr(reported_at, 1, 7), count(*), sum(extensions), sum(failed_checks) FROM cases "
                 "WHERE scheme = ? GROUP BY 1, 2")
    base = best(lambda: conn.execute(count_sql, [SL]).fetchall())
    conn.close()
    t_verify = best(lambda: run(kaohe(signed, "verify")))
    return [row(f"close (sign off) a year of {n:,} cases (whole process, once)", t_close, base,
                "(figure; baseline: SQL count of the cases by unit and month)", True),
            row(f"kaohe verify, a signed-off year of {n:,} cases (whole process)", t_verify, base,
                "< 2 s (baseline: the same SQL count)", t_verify < 2)]


ROWS = [score_year, score_json, export_ledger, close_and_verify]


def table(work: Path, small: bool, only: list[str] | None = None) -> list[dict]:
    out = []
    for fn in ROWS:
        if only and fn.__name__ not in only:
            continue
        got = fn(work, small)
        out += got if isinstance(got, list) else [got]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path)
    parser.add_argument("--small", action="store_true")
    parser.add_argument("--only", nargs="*", help="rows to run (default: all), e.g. score_json export_ledger")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="kaohe-score-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    for r in table(work, args.small, args.only):
        ratio = f"{r['ratio']:.2f}×" if r["ratio"] else ""
        base = f"{r['baseline']:.3f} s" if r["baseline"] else ""
        print(f"| {r['name']} | {r['kaohe']:.3f} s | {base} | {ratio} | {r['target']} {'✓' if r['ok'] else '✗'} |")
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
