"""A trend drawn with block characters (▁▂▃▄▅▆▇█), one per quarter."""

from __future__ import annotations

BLOCKS = "▁▂▃▄▅▆▇█"


def bars(values: list[float | None], low: float, high: float) -> str:
    """One block per value, scaled between ``low`` and ``high``; a gap (·) where there is none."""
    out = []
    for v in values:
        if v is None:
            out.append("·")
        elif high <= low:
            out.append(BLOCKS[len(BLOCKS) // 2])
        else:
            share = (v - low) / (high - low)
            out.append(BLOCKS[min(len(BLOCKS) - 1, max(0, round(share * (len(BLOCKS) - 1))))])
    return "".join(out)


def rank_bars(ranks: list[int | None], worst: int) -> str:
    """First place is the tallest bar."""
    return bars([None if r is None else worst - r for r in ranks], 0, max(worst - 1, 0))
