"""Registering schemes in a database (units and seed data, once) and finding units by name."""

from __future__ import annotations

import difflib
import json
from dataclasses import dataclass, field
from typing import Any

from kaohe_tui import catalog, plugins
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import field as msg_field
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.scheme import Scheme, Unit
from kaohe_tui.store import Store, now
from kaohe_tui.year_scheme import YearScheme


def ensure_registered(store: Store) -> None:
    """Every loaded scheme is in the database with its units and seed data (first use seeds)."""
    known = {row["id"] for row in store.db["schemes"].rows}
    for scheme in catalog.schemes().values():
        if scheme.id not in known:
            register_scheme(store, scheme)


def register_scheme(store: Store, scheme: Scheme) -> None:
    units, _anomalies = catalog.declared_units(scheme)  # anomalies are reported by `kaohe lint`
    with store.transaction() as db:
        if db["schemes"].count_where("id = ?", [scheme.id]):
            return  # another process registered it while we waited for the lock
        db.table("schemes").insert({"id": scheme.id, "title": scheme.title, "plugin": scheme.plugin,
                              "source": scheme.source, "registered_at": now()}, replace=True)
        db.table("units").insert_all([unit_row(scheme, u) for u in units])
        # each plugin's seed in a savepoint: one that fails is reported and leaves nothing behind
        plugins.call("kaohe_seed", guard=store.transaction, db=db, scheme=scheme)
        store.audit("register-scheme", scheme=scheme.id, new={"units": len(units)}, reason="first use")


def unit_row(scheme: Scheme, unit: Unit) -> dict[str, Any]:
    return {"scheme": scheme.id, "name": unit.name, "key": norm(unit.name), "category": unit.category,
            "assessed_by": unit.assessed_by, "aliases": json.dumps(unit.aliases, ensure_ascii=False),
            "attrs": json.dumps(unit.attrs, ensure_ascii=False), "sample": int(unit.sample)}


def load_units(store: Store, scheme: Scheme) -> list[Unit]:
    """The scheme's units as the database holds them (an office may have imported its own)."""
    if isinstance(scheme, YearScheme) and scheme.office:  # an office year keeps its own list (year_units)
        return load_year_units(store, scheme)
    rows = store.db.query("SELECT * FROM units WHERE scheme = ? ORDER BY id", [scheme.id])
    return [Unit(name=r["name"], category=r["category"], assessed_by=r["assessed_by"],
                 aliases=json.loads(r["aliases"] or "[]"), attrs=json.loads(r["attrs"] or "{}"),
                 sample=bool(r["sample"])) for r in rows]


def load_year_units(store: Store, scheme: YearScheme) -> list[Unit]:
    """An office year's units, with the year's unit-attribute changes (quotas …) applied."""
    rows = store.db.query("SELECT * FROM year_units WHERE scheme = ? AND year = ? ORDER BY id",
                          [scheme.id, scheme.year])
    units = [Unit(name=r["name"], category=r["category"], assessed_by=r["assessed_by"],
                  aliases=json.loads(r["aliases"] or "[]"), attrs=json.loads(r["attrs"] or "{}")) for r in rows]
    from kaohe_tui.scheme_params import unit_overrides

    return unit_overrides(scheme, units)


SAMPLE_NOTE = "示例单位，本类别已有正式单位，不参加排名"
RETIRED_NOTE = "已退出排名"


def standing_rows(db, scheme: Scheme) -> tuple[str, str, list]:
    """(table, WHERE clause, its arguments) of the scheme's unit rows: an office year's units
    (with their retirements and sample marks) are that year's own, in ``year_units``."""
    if getattr(scheme, "office", False):
        return "year_units", "scheme = ? AND year = ?", [scheme.id, scheme.year]  # type: ignore[attr-defined]
    return "units", "scheme = ?", [scheme.id]


def standings(store: Store, scheme: Scheme) -> dict[str, str | None]:
    """Each unit → why it takes no part in ranks and consequences (None: it does). A retired unit
    never does; a sample unit not once its category has a real (non-sample, active) unit."""
    table, where, args = standing_rows(store.db, scheme)
    rows = list(store.db.query(f"SELECT name, category, sample, retired_at FROM {table} WHERE {where}", args))
    real = {norm(r["category"] or "") for r in rows if not r["sample"] and not r["retired_at"]}
    out: dict[str, str | None] = {}
    for r in rows:
        if r["retired_at"]:
            out[r["name"]] = f"{RETIRED_NOTE}（{r['retired_at'][:10]}）"
        elif r["sample"] and norm(r["category"] or "") in real:
            out[r["name"]] = SAMPLE_NOTE
        else:
            out[r["name"]] = None
    return out


def retire_unit(store: Store, scheme: Scheme, name: str, reason: str) -> Unit:
    """The unit leaves rankings and consequences from now on; its records stay (audited). In an
    office year only that year's list (and the years carried from it) — a signed year stays."""
    from kaohe_tui.roles import authorize
    from kaohe_tui.text_fields import clean_text

    reason = clean_text(reason, "reason") or "退出排名"
    authorize(store, "import-units", scheme.id)  # who is assessed at all: an administrator's call
    unit = UnitIndex(load_units(store, scheme)).resolve(name)
    table, where, args = standing_rows(store.db, scheme)
    with store.transaction() as db:
        row = next(db.query(f"SELECT id, retired_at FROM {table} WHERE {where} AND name = ?", [*args, unit.name]))
        if row["retired_at"]:
            raise KaoheError(t("unit_already_retired", unit=unit.name, at=row["retired_at"][:10]))
        db.table(table).update(row["id"], {"retired_at": now(), "retired_by": store.user, "retired_reason": reason})
        store.audit("retire-unit", scheme=scheme.id, unit=unit.name, old={"status": "active"},
                    new={"status": "retired", **({"year": args[1]} if table == "year_units" else {})}, reason=reason)
    return unit


@dataclass
class UnitIndex:
    """Names and aliases → unit, with near-miss suggestions for the error message."""

    units: list[Unit]
    by_key: dict[str, Unit] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for unit in self.units:
            self.by_key.setdefault(norm(unit.name), unit)
        for unit in self.units:
            for alias in unit.aliases:
                self.by_key.setdefault(norm(alias), unit)

    def find(self, text: str) -> Unit | None:
        return self.by_key.get(norm(text))

    def resolve(self, text: str, field_name: str = "unit") -> Unit:
        unit = self.find(text)
        if unit is not None:
            return unit
        near = difflib.get_close_matches(norm(text), list(self.by_key), n=3, cutoff=0.4)
        names = sorted({self.by_key[k].name for k in near}, key=lambda n: near.index(norm(n)) if norm(n) in near else 9)
        hint = f"；是否指：{'、'.join(names)}？" if names else ""
        raise KaoheError(t("not_a_unit", field=msg_field(field_name), text=text, hint=hint))
