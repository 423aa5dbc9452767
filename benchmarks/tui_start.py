"""Cold start of the TUI: from creating the app to the scheme list being filled, headless.

Prints the time (a figure to watch, not a timed test). Runs against a fresh temporary database
(first use: created, migrated and seeded) and then against the same file again (a warm file).

    python benchmarks/tui_start.py [--plugins-dir DIR]... [--size 80x24]
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path


async def time_to_first_screen(db: Path, dirs: list[str], size: tuple[int, int]) -> tuple[float, int]:
    from kaohe_tui.tui.app import KaoheApp

    start = time.perf_counter()
    app = KaoheApp(db_path=db, plugins_dirs=dirs)
    async with app.run_test(size=size) as pilot:
        while True:
            screen = app.screen
            table = screen.query("#schemes").first() if screen.query("#schemes") else None
            if table is not None and table.row_count and not table.loading:
                elapsed = time.perf_counter() - start
                return elapsed, table.row_count
            if time.perf_counter() - start > 60:
                raise SystemExit("the scheme list was not filled within 60 s")
            await pilot.pause(0.005)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plugins-dir", action="append", default=[])
    parser.add_argument("--size", default="80x24")
    args = parser.parse_args()
    width, height = (int(n) for n in args.size.split("x"))
    t0 = time.perf_counter()
    import kaohe_tui.tui.app  # noqa: F401  (the imports are part of a cold start)
    imports = time.perf_counter() - t0
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "kaohe.db"
        cold, schemes = asyncio.run(time_to_first_screen(db, args.plugins_dir, (width, height)))
        from kaohe_tui import catalog, plugins

        plugins.reset_for_tests()  # a second app in this process loads the plugins again
        catalog.reset()
        warm, _ = asyncio.run(time_to_first_screen(db, args.plugins_dir, (width, height)))
    print(f"imports: {imports * 1000:.0f} ms")
    print(f"cold start to first screen (new database, {schemes} schemes): {cold * 1000:.0f} ms")
    print(f"start with an existing database: {warm * 1000:.0f} ms")


if __name__ == "__main__":
    main()
