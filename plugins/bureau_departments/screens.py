"""The plugin's own TUI screens, thin faces over its UI-free functions:

- 计分表 (``j``, ``sheet_screen``): 附件3 for one unit and period (``sheet.score_sheet``), the unit's
  self-score beside the assessed score, a large gap marked ⚑; ``e`` enters a self-score
  (``selfscore.set_self_score`` checks it, the form shows its message).
- 信息报送 (``x``, ``info_grid``): 附件4's month grid (``month_grid``), units × months of items
  adopted, against each unit's standard; the points come from the scorer, the counts from the ledger.
- 附加分申报 (``b``, ``bonus_screen``): 附件6's applications and where each stands (read-only).
- OA签收 (``o``, ``oa_screen``): 附件5's breaches of the year with the scorer's deduction for each;
  ``n`` enters one signing event (``oa.record_signing``, as ``kaohe oa-signing``).

Imported only when a screen is opened (``kaohe score`` never loads Textual). Here: what both
screens share.
"""

from __future__ import annotations

from textual.binding import Binding

from kaohe_tui.api import fmt

PERIOD = Binding.Group("期间", compact=True)


def _num(value: float | None) -> str:
    return fmt(value) if value is not None else ""
