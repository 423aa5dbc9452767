"""The TUI on a big database, driven by Textual's pilot (headless): from a key to the figures
drawn, for opening the results (first time: scored in a worker since the scheme opened),
switching the period (a quarter comes scored with its year; back again: from the cache until the
next write), opening the results again and opening an explanation; after another
connection's write, a period scored at the key; last, after another write, keys pressed while a
period scores in the worker (the units view, a cursor move): the app stays interactive. Prints
the figures (issue 18's target: each < 150 ms after the key) and the load average they were
taken under. The benchmark writes to DB (a table ``bench_touch`` of its own).

    python benchmarks/tui_bench.py DB [--scheme city-coordination] [--runs 2] [--profile DIR]
    python benchmarks/tui_bench.py --build WORK_DIR [--cases 1000000]    # prints the database made

DB: e.g. ``score_bench.py``'s ledger database (10^5 cases and a 10^5-row ledger with --small);
``--build`` makes that one and, with ``--cases``, imports a year of that many cases into a copy
(issue 18's size: 10^6 cases and 10^5 records).
Each figure is the best of ``--runs`` runs (a fresh app each run), wall clock, with the CPU time
of the process beside it (on a loaded machine the wall clock is mostly waiting for a core). ``--profile DIR`` writes a
pyinstrument report per action (``pip install pyinstrument``; the UI thread only).
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import time
from pathlib import Path

os.environ.setdefault("KAOHE_NO_ENTRY_POINTS", "1")


async def until(pilot, ready, limit: float = 120.0) -> None:
    """Wait until ``ready()`` holds (polled every millisecond), then until the next frame is drawn
    (``Frames``): the figures are on the terminal, not only in the widgets."""
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > limit:
            raise SystemExit(f"the screen did not settle in time ({type(pilot.app.screen).__name__})")
        await asyncio.sleep(0.001)
    frames: Frames | None = getattr(pilot.app, "bench_frames", None)
    if frames is None:
        await pilot.pause(0)
        return
    # a frame drawn from now on shows the change (an earlier one may have too, but which cannot be
    # told): ask for one and wait for it, an upper bound; the action ends when it is drawn (Clock)
    seen = frames.count
    pilot.app.screen.refresh()
    while frames.count == seen and time.perf_counter() - start < limit:
        await asyncio.sleep(0.001)


class Frames:
    """Counts the frames the app draws, and draws them as a terminal's driver would: the headless
    app skips turning a frame into the terminal's bytes, which a real terminal pays for."""

    def __init__(self, app):
        from textual._compositor import CompositorUpdate

        self.count, self.last = 0, 0.0
        shown = app._display

        def display(screen, renderable):
            shown(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                renderable.render_segments(app.console)
                self.count, self.last = self.count + 1, time.perf_counter()

        app._display = display
        app.bench_frames = self


def key(app, name: str) -> None:
    """The key as the terminal's driver hands it to the app. Pilot's ``press`` also waits for the
    app to look idle (~45 ms of sleeping a key, measured), which no user waits for."""
    import unicodedata

    from textual import events
    from textual.keys import REPLACED_KEYS, _get_unicode_name_from_key

    try:
        char: str | None = unicodedata.lookup(_get_unicode_name_from_key(REPLACED_KEYS.get(name, name)))
    except KeyError:
        char = name if len(name) == 1 else None
    event = events.Key(name, char)
    event.set_sender(app)
    app._driver.send_message(event)


class Clock:
    """Times (and with ``profile`` set, profiles) one action each."""

    def __init__(self, profile: Path | None, frames: Frames | None = None):
        self.profile, self.frames = profile, frames
        self.out: list[tuple[str, float, float]] = []

    @contextlib.asynccontextmanager
    async def action(self, label: str):
        profiler = None
        if self.profile:
            from pyinstrument import Profiler

            profiler = Profiler(interval=0.001, async_mode="disabled")
            profiler.start()
        start, cpu = time.perf_counter(), time.process_time()
        yield
        end = self.frames.last if self.frames and self.frames.last > start else time.perf_counter()
        self.out.append((label, end - start, time.process_time() - cpu))
        if profiler:
            profiler.stop()
            self.profile.mkdir(parents=True, exist_ok=True)
            name = "".join(c if c.isalnum() else "-" for c in label)
            report = profiler.output_text(show_all=True, unicode=False)
            (self.profile / f"{len(self.out):02d}-{name}.txt").write_text(report)


async def measure(db: Path, scheme_id: str, profile: Path | None = None) -> list[tuple[str, float, float]]:
    from kaohe_tui.tui.app import KaoheApp

    app = KaoheApp(db_path=db)
    async with app.run_test(size=(80, 24)) as pilot:
        clock = Clock(profile, Frames(app))
        await until(pilot, lambda: bool(app.screen.query("#schemes"))
                    and app.screen.query_one("#schemes").row_count > 0)
        await pilot.pause(0.5)
        schemes = app.screen.query_one("#schemes")
        schemes.move_cursor(row=schemes.get_row_index(scheme_id))
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ != "SchemesScreen")
        await pilot.pause(0.5)

        def results_ready(period: str | None = None):
            def ready():
                screen = app.screen
                if type(screen).__name__ != "ResultsScreen" or screen.scored is None:
                    return False
                table = screen.query_one("#results")
                return not table.loading and table.row_count and (period is None or screen.scored.period == period)
            return ready

        # opening the scheme started scoring its results in the background (``results.warm``):
        # the first opening waits for what is left of it
        async with clock.action("open results, first time (scoring began as the scheme opened)"):
            key(app, "3")
            await until(pilot, results_ready())
        screen = app.screen
        first = screen.state.period
        periods = screen.periods
        nxt = periods[(periods.index(first) + 1) % len(periods)]
        first_switch = "switch period, first time (a quarter: scored with its year)"
        for label, name, want in ((first_switch, "right_square_bracket", nxt),
                                 ("switch period back (cached)", "left_square_bracket", first),
                                 ("switch period again (cached)", "right_square_bracket", nxt)):
            async with clock.action(label):
                key(app, name)
                await until(pilot, results_ready(want))
        await pilot.press("1")  # the units view, then the results again: from the cache
        await until(pilot, lambda: type(app.screen).__name__ == "UnitsScreen")
        await pilot.pause(0.5)
        async with clock.action("open results again (cached)"):
            key(app, "3")
            await until(pilot, results_ready())
        for label, row, column in (("open an explanation", 0, 4), ("open another explanation", 1, 1)):
            app.screen.query_one("#results").move_cursor(row=row, column=column)
            await pilot.pause(0.2)
            async with clock.action(label):
                key(app, "enter")
                await until(pilot, lambda: type(app.screen).__name__ == "ExplainScreen"
                            and any(tree.root.children for tree in app.screen.query("#explain-tree")))
            if row == 0:
                async with clock.action("back to the results (escape)"):
                    key(app, "escape")
                    await until(pilot, results_ready())
        await pilot.press("escape")
        await until(pilot, results_ready())
        await pilot.pause(0.5)
        touch(db)  # another login writes: every kept figure is stale, the next period is scored at the key
        async with clock.action("switch period after another login's write (scored at the key)"):
            key(app, "left_square_bracket")
            await until(pilot, results_ready(first))
        await pilot.pause(0.5)
        # the app stays interactive while a period scores in the worker: another write, the key
        # that scores again, and while it scores, the units view and a cursor move in it
        touch(db)
        key(app, "right_square_bracket")
        await until(pilot, lambda: bool(app.scores.running))
        units = lambda: app.screen.query_one("#units")  # noqa: E731
        async with clock.action("while a period scores: the units view (1)"):
            key(app, "1")
            await until(pilot, lambda: type(app.screen).__name__ == "UnitsScreen" and app.screen.is_mounted
                        and units().row_count > 0)
        row = units().cursor_row
        async with clock.action("while a period scores: cursor down in the units"):
            key(app, "down")
            await until(pilot, lambda: units().cursor_row == row + 1)
        if not app.scores.running:  # the figures would then say nothing of the worker's effect
            clock.out[-2:] = [(f"{label} [scoring had ended]", *rest) for label, *rest in clock.out[-2:]]
    return clock.out


def touch(db: Path) -> None:
    """A write by another connection that moves no figure (a table of the benchmark's own)."""
    import sqlite3

    with contextlib.closing(sqlite3.connect(db)) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS bench_touch (n INTEGER)")
        conn.execute("INSERT INTO bench_touch VALUES (1)")
        conn.commit()


def build(work: Path, cases: int) -> Path:
    """100 towns, a 10^5-row ledger and a year of ``cases`` platform cases (set-up, not measured)."""
    import shutil
    import sys

    here = Path(__file__).resolve().parent
    sys.path.insert(0, str(here))
    import generate
    import score_bench

    base, _ = score_bench.ledger_db(work, small=True)  # 10^5 cases, 10^5 records
    if cases <= 100_000:
        return base
    db = work / f"tui_{cases}.db"
    if not db.exists():
        data = work / "data" / f"cases_{cases}.csv"
        if not data.exists():
            generate.write_cases(data, cases)
        part = db.with_suffix(".part")
        shutil.copyfile(base, part)
        score_bench.run(score_bench.kaohe(part, "import", score_bench.CC, str(data)))  # same ids: updated
        part.rename(db)
    return db


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path, nargs="?")
    parser.add_argument("--build", type=Path, metavar="WORK_DIR")
    parser.add_argument("--cases", type=int, default=1_000_000)
    parser.add_argument("--scheme", default="city-coordination")
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--profile", type=Path, help="a folder for one pyinstrument report per action")
    args = parser.parse_args()
    if args.build:
        print(build(args.build, args.cases))
        return
    if args.db is None:
        parser.error("DB or --build WORK_DIR")
    best: dict[str, tuple[float, float]] = {}
    loads = [os.getloadavg()[0]]
    for _ in range(args.runs):
        for label, seconds, cpu in asyncio.run(measure(args.db, args.scheme, args.profile)):
            best[label] = min((seconds, cpu), best.get(label, (seconds, cpu)))
        loads.append(os.getloadavg()[0])
    print(f"load average (1 min) {min(loads):.1f}–{max(loads):.1f}; best of {args.runs} "
          "(wall clock; CPU of this process)")
    for label, (seconds, cpu) in best.items():
        print(f"{label}: {seconds * 1000:.0f} ms (CPU {cpu * 1000:.0f} ms)")


if __name__ == "__main__":
    main()
