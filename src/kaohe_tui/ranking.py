"""Competition ranking (1, 2, 2, 4): highest figure first, ties share the better rank — the one
way kaohe ranks, for totals (scoring) and for a rule's figure (rank bands)."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def competition_ranks(figures: Mapping[K, float]) -> dict[K, int]:
    first: dict[float, int] = {}
    for place, value in enumerate(sorted(figures.values(), reverse=True), start=1):
        first.setdefault(value, place)
    return {key: first[value] for key, value in figures.items()}
