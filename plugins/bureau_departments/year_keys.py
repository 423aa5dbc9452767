"""`[` / `]` on a bureau screen that shows one year (OA签收, 信息报送): the scheme's years, the
document's and the office's own, as the units view moves between them (no wrapping round)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from kaohe_tui.api import Period, Scheme, scheme_years

from .screens import PERIOD

if TYPE_CHECKING:
    from kaohe_tui.api import Store


def year_bindings(prefix: str) -> list[Binding]:
    return [Binding("left_square_bracket", "year(-1)", "上年", key_display="[", group=PERIOD, id=f"{prefix}-prev-year"),
            Binding("right_square_bracket", "year(1)", "下年", key_display="]", group=PERIOD, id=f"{prefix}-next-year")]


class YearKeys:
    """Mixed into a Screen (before it) whose ``load()`` shows ``self.year``."""

    years: list[int]
    year: int

    def start_year(self, store: Store, scheme: Scheme, period: str) -> None:
        """The year of the views' period, among the scheme's years."""
        self.years = [r["year"] for r in scheme_years(store, scheme)]
        year = Period.parse(period).year
        self.year = year if year in self.years or not self.years else self.years[0]

    def load(self) -> None:  # pragma: no cover - each screen loads its own way
        raise NotImplementedError

    def check_action(self, action: str, parameters: tuple) -> bool | None:
        if action == "year":
            return len(self.years) > 1  # one year only: nothing to move between, not in the footer
        return True

    def action_year(self, step: int) -> None:
        i = self.years.index(self.year) + step if self.year in self.years else -1
        if 0 <= i < len(self.years):
            self.year = self.years[i]
            self.load()
