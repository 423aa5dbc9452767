"""An office year's unit list (``kaohe import SCHEME units.csv --kind units --period YEAR``).

- The office's real list replaces invented (sample) units: a sample unit of a category the file
  lists, that the file does not name, leaves the year's list.
- A renamed or merged unit names its former name(s) as aliases (别名/曾用名): the former unit's
  row gives way to the new one, which keeps every old name as an alias, so history (last year's
  records, cross-year consequences) still finds it. A unit that already has records this year
  cannot be renamed now: the rename takes effect from the next year.
- Assessing sections (考核扎口科室) are per year: the file's column sets them for this year only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.scheme import Scheme, Unit
from kaohe_tui.store import Store


@dataclass
class YearUnitsImport:  # the fields of units_import.UnitsImport, and two more (not a subclass: no import cycle)
    added: int = 0
    updated: int = 0
    replaced: int = 0  # sample units the real list replaced
    renamed: int = 0  # former units that became another unit's alias


def import_year_units(store: Store, scheme: Scheme, path: Path, units: list[Unit]) -> YearUnitsImport:
    from kaohe_tui.scheme_years import year_unit_row

    year = scheme.year  # type: ignore[attr-defined]
    report = YearUnitsImport()
    with store.transaction() as db:
        existing = {r["key"]: r
                    for r in db.query("SELECT * FROM year_units WHERE scheme = ? AND year = ?", [scheme.id, year])}
        named = {norm(u.name) for u in units}
        gone: set[str] = set()
        rows = []
        for unit in units:
            key = norm(unit.name)
            aliases = list(unit.aliases)
            for alias in unit.aliases:
                former = existing.get(norm(alias))
                if former is None or norm(alias) == key or norm(alias) in named:
                    continue
                _refuse_if_recorded(db, scheme.id, year, former["name"], unit.name, path)
                aliases += [a for a in json.loads(former["aliases"] or "[]")
                            if norm(a) not in {key, *map(norm, aliases)}]
                gone.add(norm(alias))
                report.renamed += 1
            old = existing.get(key)
            if old:
                aliases = list(dict.fromkeys(json.loads(old["aliases"] or "[]") + aliases))
                unit = unit.model_copy(update={
                    "aliases": aliases, "category": unit.category or old["category"],
                    "assessed_by": unit.assessed_by or old["assessed_by"],
                    "attrs": {**json.loads(old["attrs"] or "{}"), **unit.attrs}})
                report.updated += 1
            else:
                unit = unit.model_copy(update={"aliases": aliases})
                report.added += 1
            rows.append(year_unit_row(scheme.id, year, unit, sample=False))
        # sample units of the categories the file lists (a list of towns leaves the departments be)
        categories = {norm(u.category or "") for u in units}
        samples = {k for k, r in existing.items()
                   if r["sample"] and k not in named and norm(r["category"] or "") in categories}
        report.replaced = len(samples)
        for key in gone | samples | (named & set(existing)):
            db.execute("DELETE FROM year_units WHERE scheme = ? AND year = ? AND key = ?", [scheme.id, year, key])
        db.table("year_units").insert_all(rows)
        store.audit("import-units", scheme=scheme.id,
                    new={"file": str(path), "year": year, "added": report.added, "updated": report.updated,
                         "renamed": report.renamed, "samples_replaced": report.replaced},
                    reason=f"import {Path(path).name}")
    return report


def _refuse_if_recorded(db, scheme_id: str, year: int, former: str, new: str, path: Path) -> None:
    n = db.execute("SELECT count(*) FROM records WHERE scheme = ? AND unit = ? AND substr(period, 1, 4) = ?",
                   [scheme_id, former, str(year)]).fetchone()[0]
    if n:
        raise KaoheError(t("rename_recorded", path=path, new=new, former=former, year=year, n=n))
