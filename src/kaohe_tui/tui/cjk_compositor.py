"""Chinese characters no longer cut in half where one widget covers another's edges.

Upstream (Textual 8.2.8, https://github.com/Textualize/textual/issues/6357): the compositor
cuts every line at every widget's edge and gives each piece to the front-most widget there. A
drop-down covering the form's fields is cut at the fields' edges too, and a double-width
character that straddles such a cut is drawn as two spaces (``基础管  /  伍建设``). Here a widget's
line is cut only where it starts or stops winning, so a run of pieces it paints stays whole; the
pieces after the first in a run hold an empty strip (so nothing behind paints there). Applied only
to the pinned Textual version, whose ``_render_chops`` this replaces."""

from __future__ import annotations

import textual
from textual._compositor import Compositor
from textual.strip import Strip

PINNED = "8.2.8"
EMPTY = Strip([], 0)


def _render_chops(self: Compositor, crop, is_rendered_line):
    cuts = self.cuts
    chops = [dict.fromkeys(cut_set[:-1]) for cut_set in cuts]
    for region, clip, strips in self._get_renders(crop):  # front to back
        render_region = region.intersection(clip)
        render_x = render_region.x
        first_cut, last_cut = render_region.column_span
        for y, strip in zip(render_region.line_range, strips, strict=False):
            if not is_rendered_line(y):
                continue
            line = chops[y]
            # bucket i spans line_cuts[i] to line_cuts[i + 1]; the last cut is this render's right edge
            line_cuts = [cut for cut in cuts[y] if last_cut >= cut >= first_cut]
            if len(line_cuts) < 2:
                continue
            free = [line.get(cut) is None for cut in line_cuts[:-1]]  # nothing in front has taken it
            splits = [i for i in range(1, len(free)) if not (free[i] and free[i - 1])]
            stops = [*splits, len(free)]
            pieces = strip.divide([line_cuts[i] - render_x for i in stops])
            for start, stop, piece in zip([0, *splits], stops, pieces, strict=False):
                if not free[start]:
                    continue
                line[line_cuts[start]] = piece
                for i in range(start + 1, stop):
                    line[line_cuts[i]] = EMPTY
    return chops


def apply() -> None:
    if textual.__version__ == PINNED and Compositor._render_chops is not _render_chops:
        # replacing upstream's method is the point of this module (mypy's method-assign says so)
        Compositor._render_chops = _render_chops  # type: ignore[method-assign]
