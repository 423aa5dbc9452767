"""The TUI on a big database, driven by Textual's pilot (headless): from a key to the figures on
screen, for opening the results, switching the period (first time: scored; back again: from the
cache until the next write) and opening an explanation. Prints the figures (issue 18's target:
each < 150 ms after the key).

    python benchmarks/tui_bench.py DB [--scheme city-coordination]

DB: e.g. ``score_bench.py``'s ledger database (10^5 cases and a 10^5-row ledger with --small).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import time
from pathlib import Path

os.environ.setdefault("KAOHE_NO_ENTRY_POINTS", "1")


async def until(pilot, ready, limit: float = 120.0) -> float:
    """Seconds until ``ready()`` holds (polled every 2 ms)."""
    start = time.perf_counter()
    while not ready():
        if time.perf_counter() - start > limit:
            raise SystemExit(f"the screen did not settle in time ({type(pilot.app.screen).__name__})")
        await pilot.pause(0.002)
    return time.perf_counter() - start


async def measure(db: Path, scheme_id: str) -> list[tuple[str, float]]:
    from kaohe_tui.tui.app import KaoheApp

    app = KaoheApp(db_path=db)
    out: list[tuple[str, float]] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: bool(app.screen.query("#schemes")) and app.screen.query_one("#schemes").row_count > 0)
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

        start = time.perf_counter()
        await pilot.press("3")
        await until(pilot, results_ready())
        out.append(("open results (scored now)", time.perf_counter() - start))
        screen = app.screen
        first = screen.state.period
        periods = screen.periods
        nxt = periods[(periods.index(first) + 1) % len(periods)]
        for label, key, want in (("switch period (scored now)", "right_square_bracket", nxt),
                                 ("switch period back (cached)", "left_square_bracket", first),
                                 ("switch period again (cached)", "right_square_bracket", nxt)):
            start = time.perf_counter()
            await pilot.press(key)
            await until(pilot, results_ready(want))
            out.append((label, time.perf_counter() - start))
        await pilot.press("1")  # the units view, then the results again: from the cache
        await until(pilot, lambda: type(app.screen).__name__ == "UnitsScreen")
        await pilot.pause(0.5)
        start = time.perf_counter()
        await pilot.press("3")
        await until(pilot, results_ready())
        out.append(("open results again (cached)", time.perf_counter() - start))
        table = app.screen.query_one("#results")
        table.move_cursor(row=0, column=4)
        start = time.perf_counter()
        await pilot.press("enter")
        await until(pilot, lambda: type(app.screen).__name__ == "ExplainScreen"
                    and app.screen.query_one("#explain-tree").root.children)
        out.append(("open an explanation", time.perf_counter() - start))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", type=Path)
    parser.add_argument("--scheme", default="city-coordination")
    args = parser.parse_args()
    for label, seconds in asyncio.run(measure(args.db, args.scheme)):
        print(f"{label}: {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
