"""Importing an office's real unit list (towns/streets the documents do not name, a new year's
departments): name, category, aliases, assessing section, and any other column as an attribute.
Existing units (matched by normalised name) are updated; all or nothing; audited."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from kaohe_tui.errors import KaoheError
from kaohe_tui.io.tabular import header_names, read_rows
from kaohe_tui.messages import t
from kaohe_tui.names import norm, strip_format
from kaohe_tui.row_errors import RowError, RowsRejected
from kaohe_tui.scheme import Scheme, Unit
from kaohe_tui.store import Store
from kaohe_tui.text_fields import clean_text
from kaohe_tui.units import unit_row

if TYPE_CHECKING:
    from kaohe_tui.year_units import YearUnitsImport

COLUMNS = {
    "name": ("unit", "name", "单位", "单位名称", "被考核单位"),
    "category": ("category", "类别"),
    "aliases": ("aliases", "别名", "简称", "曾用名"),
    "assessed_by": ("assessed_by", "考核扎口科室"),
}


@dataclass
class UnitsImport:
    added: int = 0
    updated: int = 0
    rejected: list[RowError] = field(default_factory=list)


def import_units(store: Store, scheme: Scheme, path: Path) -> UnitsImport | YearUnitsImport:
    from kaohe_tui.roles import authorize

    authorize(store, "import-units", scheme.id)  # who is assessed at all: an administrator's call
    if getattr(scheme, "office", False):  # an office year keeps its own list
        from kaohe_tui.year_units import import_year_units

        return import_year_units(store, scheme, path, read_units(scheme, path))
    return _write(store, scheme, path, read_units(scheme, path), UnitsImport())


def column_map(header: list[str]) -> dict[str, str | None]:
    """Each unit field → the file's header that holds it (None: the file lacks the column)."""
    return header_names(header, COLUMNS)


def read_units(scheme: Scheme, path: Path) -> list[Unit]:
    """The file's units, checked; all rejected rows in one error."""
    header, rows = read_rows(path)
    mapping = column_map(header)
    if mapping["name"] is None:
        raise KaoheError(t("file_missing_columns", path=path, missing="unit/单位", header="、".join(header)))
    attr_columns = [h for h in header if h and h not in mapping.values()]
    units: list[Unit] = []
    rejected: list[RowError] = []
    seen: dict[str, int] = {}
    for number, row in rows:
        try:
            name = strip_format(clean_text(row.get(mapping["name"], ""), mapping["name"], limit=200))
            if not name:
                raise KaoheError(f"{mapping['name']}：{t('unit_row_empty')}")
            if norm(name) in seen:
                raise KaoheError(f"{mapping['name']}：{t('unit_row_listed', name=name, row=seen[norm(name)])}")
            seen[norm(name)] = number
            category = row.get(mapping["category"], "").strip() if mapping["category"] else None
            if category and scheme.categories and scheme.category(category) is None:
                known = "、".join(c.name for c in scheme.categories)
                raise KaoheError(t("units_bad_category", column=mapping["category"], category=category,
                                   scheme=scheme.id, known=known))
            aliases = [strip_format(a) for a in row.get(mapping["aliases"], "").replace(",", "、").split("、")
                       if a.strip()] if mapping["aliases"] else []
            declared = scheme.category(category) if category and scheme.categories else None  # checked above
            units.append(Unit(name=name, category=(declared.name if declared else category) or None,
                              aliases=aliases,
                              assessed_by=((row.get(mapping["assessed_by"], "").strip() or None)
                                           if mapping["assessed_by"] else None),
                              attrs={c: row.get(c, "").strip() for c in attr_columns}))
        except KaoheError as exc:
            rejected.append(RowError(path, number, exc))
    if rejected:
        raise RowsRejected(rejected, f"{path}: {len(rejected)} invalid row(s); no unit imported")
    return units


def _write(store: Store, scheme: Scheme, path: Path, units: list[Unit], report: UnitsImport) -> UnitsImport:
    mapping = column_map(read_rows(path)[0])
    existing = {r["key"]: r for r in store.db.query("SELECT * FROM units WHERE scheme = ?", [scheme.id])}
    with store.transaction() as db:
        for unit in units:
            row = unit_row(scheme, unit) | {"sample": 0}
            old = existing.get(row["key"])
            if old:
                merged = {**json.loads(old["attrs"] or "{}"), **unit.attrs}
                row["attrs"] = json.dumps(merged, ensure_ascii=False)
                row["category"] = row["category"] or old["category"]
                for fld in ("aliases", "assessed_by"):  # a file without the column leaves them as they were
                    if mapping[fld] is None:
                        row[fld] = old[fld]
                db.table("units").update(old["id"], row)
                report.updated += 1
            else:
                db.table("units").insert(row)
                report.added += 1
        store.audit("import-units", scheme=scheme.id,
                    new={"file": str(path), "added": report.added, "updated": report.updated},
                    reason=f"import {Path(path).name}")
    return report
