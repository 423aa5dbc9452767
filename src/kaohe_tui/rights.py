"""Who assesses an indicator for a unit: the sections the scheme makes responsible for it (seed
002 附件2's 考核责任科室, for every unit), else the unit's assessing section (附件1's 扎口科室).
``roles.authorize`` decides; this module finds, for a record, what it decides on — once while
the record is checked and again inside the transaction that writes it."""

from __future__ import annotations

from kaohe_tui.roles import authorize
from kaohe_tui.scheme import PATH_SEP, Scheme, walk
from kaohe_tui.store import Store


def responsible_for(scheme: Scheme, category: str | None, path: str) -> tuple[str, ...]:
    """The responsible sections of the node at ``path`` or, if it names none, of its nearest
    ancestor that does (信息宣传's parts are 办公室's and 党委办's); () where none is named."""
    nodes = dict(walk(scheme.tree(category)))
    parts = path.split(PATH_SEP)
    found: tuple[str, ...] = ()
    for depth in range(1, len(parts) + 1):
        node = nodes.get(PATH_SEP.join(parts[:depth]))
        if node is not None and node.responsible:
            found = tuple(node.responsible)
    return found


def authorize_record(store: Store, scheme: Scheme, action: str, unit: str, category: str | None,
                     assessed_by: str | None, path: str) -> None:
    authorize(store, action, scheme.id, unit, assessed_by, indicator=path,
              responsible=responsible_for(scheme, category, path), aliases=scheme.section_aliases)


def authorize_in_write(store: Store, db, scheme: Scheme, action: str, unit: str, path: str,
                       period: str | None = None) -> None:
    """The same check under the write lock: a role revoked, or a unit's section changed, since
    the record was checked refuses the write."""
    from kaohe_tui.scheme_years import unit_row_of  # an office year keeps its own units

    row = unit_row_of(db, scheme, unit, period)
    authorize_record(store, scheme, action, unit, row.get("category"), row.get("assessed_by"), path)
