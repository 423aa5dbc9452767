"""The office's own years of a scheme: the built-in version stays for the document's year; an
office starts the next year from the last (``kaohe scheme new-year``) and changes parameters for
a year (``kaohe scheme set``). All of it lives in the database, never in the installation.

A year's scheme is the built-in scheme with the year's parameter overrides applied (see
``scheme_params``); an office year also has its own unit list (``year_units``). Overrides are
append-only rows with a version per (scheme, year); closing a period records the version in
force (a trigger on ``periods``, so any sign-off path records it), and a closed period is scored
with that version for ever after.
"""

from __future__ import annotations

import json

from kaohe_tui import catalog
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme, Unit
from kaohe_tui.store import Store, now
from kaohe_tui.year_scheme import YearScheme, document_years  # noqa: F401 — callers import them from here


# -- which years a scheme has ----------------------------------------------------------------
def office_rows(store: Store, scheme_id: str) -> dict[int, dict]:
    return {r["year"]: r
            for r in store.db.query("SELECT * FROM scheme_years WHERE scheme = ? ORDER BY year", [scheme_id])}


def years_of(store: Store, scheme: Scheme) -> list[dict]:
    """Every year the scheme has: the document's (built-in) and the office's own."""
    rows = office_rows(store, scheme.id)
    # an office year's periods are its own
    document = catalog.get(scheme.id) if isinstance(scheme, YearScheme) else scheme
    out = [{"year": y, "kind": "document", "version": rows.get(y, {}).get("version", 0), "based_on": None}
           for y in document_years(document)]
    out += [{"year": y, "kind": "office", "version": r["version"], "based_on": r["based_on"]}
            for y, r in rows.items() if r["kind"] == "office"]
    return sorted(out, key=lambda r: r["year"])


def has_year(store: Store, scheme: Scheme, year: int) -> bool:
    return any(r["year"] == year for r in years_of(store, scheme))


def current_version(store: Store, scheme_id: str, year: int) -> int:
    row = office_rows(store, scheme_id).get(year)
    return row["version"] if row else 0


def signed_version(store: Store, scheme_id: str, period: Period) -> int | None:
    """The parameter version a closed period (or the closed period enclosing it) was signed
    under; None while it is open. The sign-off snapshot can call this to record it."""
    from kaohe_tui.period_records import period_status

    closing = period_status(store, scheme_id, period)
    if closing is None:
        return None
    row = next(store.db.query("SELECT version FROM signed_versions WHERE scheme = ? AND period = ? "
                              "ORDER BY id DESC LIMIT 1",
                              [scheme_id, closing["period"]]), None)
    return row["version"] if row else 0


def version_info(store: Store, scheme_id: str, period: Period | str) -> dict:
    """For a sign-off snapshot: the year, whether it is the document's or the office's version,
    the parameter version in force for ``period`` and the parameters changed from the document."""
    from kaohe_tui.scheme_params import overrides_at

    period = Period.parse(period) if isinstance(period, str) else period
    version = signed_version(store, scheme_id, period)
    version = current_version(store, scheme_id, period.year) if version is None else version
    row = office_rows(store, scheme_id).get(period.year)
    return {"scheme": scheme_id, "year": period.year, "kind": row["kind"] if row else "document", "version": version,
            "parameters": overrides_at(store, scheme_id, period.year, version)}


# -- the scheme for a period -----------------------------------------------------------------
def for_period(store: Store, scheme: Scheme | str, period: Period | str | None) -> Scheme:
    """The scheme as it stands for ``period``: the built-in one for the document's year (with
    the office's changes, if any), the office's own version for a year it started; a closed
    period gets the version it was signed under. A year the scheme does not have: the built-in
    scheme (whose period check then refuses to write to it)."""
    base = catalog.get(scheme) if isinstance(scheme, str) else scheme
    if isinstance(base, YearScheme):
        base = catalog.get(base.id)
    if period is None:
        return base
    period = Period.parse(period) if isinstance(period, str) else period
    row = office_rows(store, base.id).get(period.year)
    if row is None:
        return base
    version = signed_version(store, base.id, period)
    return for_year(store, base, period.year, row["version"] if version is None else version, row)


def for_year(store: Store, base: Scheme, year: int, version: int | None = None, row: dict | None = None) -> Scheme:
    from kaohe_tui.scheme_params import build

    row = row if row is not None else office_rows(store, base.id).get(year)
    if row is None:
        if year in document_years(base):
            return base
        raise no_such_year(store, base, year)
    version = row["version"] if version is None else version
    return build(store, base, year, version, office=row["kind"] == "office")


def no_such_year(store: Store, scheme: Scheme, year: int) -> KaoheError:
    have = "、".join(str(r["year"]) for r in years_of(store, scheme)) or "无"
    return KaoheError(t("no_such_year", scheme=scheme.id, year=year, years=have))


def latest(store: Store, scheme: Scheme | str) -> Scheme:
    """The scheme for its most recent year (what a TUI opens on)."""
    base = catalog.get(scheme) if isinstance(scheme, str) else scheme
    years = years_of(store, base)
    return for_year(store, base, years[-1]["year"]) if years else base


# -- units of a year -------------------------------------------------------------------------
def year_unit_row(scheme_id: str, year: int, unit: Unit, sample: bool) -> dict:
    return {"scheme": scheme_id, "year": year, "name": unit.name, "key": norm(unit.name), "category": unit.category,
            "assessed_by": unit.assessed_by, "aliases": json.dumps(unit.aliases, ensure_ascii=False),
            "attrs": json.dumps(unit.attrs, ensure_ascii=False), "sample": int(sample)}


def unit_row_of(db, scheme: Scheme, name: str, period: str | None = None) -> dict:
    """The stored row of a unit as the scheme (or, given ``period``, that period's year) has it:
    an office year's units are in ``year_units``, the document's in ``units``."""
    if period is not None:
        row = next(db.query("SELECT kind FROM scheme_years WHERE scheme = ? AND year = ?",
                            [scheme.id, int(period[:4])]), None)
        year = int(period[:4]) if row and row["kind"] == "office" else None
    else:
        year = scheme.year if getattr(scheme, "office", False) else None  # type: ignore[attr-defined]
    if year:
        return next(db.query("SELECT * FROM year_units WHERE scheme = ? AND year = ? AND name = ?",
                             [scheme.id, year, name]), {})
    return next(db.query("SELECT * FROM units WHERE scheme = ? AND name = ?", [scheme.id, name]), {})


def units_of_year(store: Store, scheme: Scheme) -> list[Unit]:
    from kaohe_tui.units import load_units

    return load_units(store, scheme)


# -- a new year ------------------------------------------------------------------------------
def new_year(store: Store, scheme_id: str, year: int, reason: str = "") -> dict:
    """The office's own version of the scheme for ``year``, carried forward from the nearest
    earlier year: its parameters (as version 0), its units with aliases and assessing sections,
    and its target lists. Returns what was carried."""
    from kaohe_tui import target_lists
    from kaohe_tui.roles import authorize
    from kaohe_tui.scheme_params import overrides_at
    from kaohe_tui.text_fields import clean_text

    base = catalog.get(scheme_id)
    if not 1900 <= year <= 2999:
        raise KaoheError(t("not_a_year", year=year))
    reason = clean_text(reason, "reason") or t("new_year_reason", year=year)
    authorize(store, "scheme-new-year", base.id)
    with store.transaction() as db:
        years = [r["year"] for r in years_of(store, base)]
        if year in years:
            which = "year_is_document" if year in document_years(base) else "year_started_already"
            raise KaoheError(t(which, scheme=base.id, year=year))
        earlier = [y for y in years if y < year]
        if not earlier:
            raise KaoheError(t("no_year_before", scheme=base.id, year=year, years="、".join(map(str, years)) or "无"))
        source = max(earlier)
        source_scheme = for_year(store, base, source)
        units = units_of_year(store, source_scheme)
        sample = _sample_units(store, source_scheme)
        params = overrides_at(store, base.id, source, current_version(store, base.id, source))
        stamp = now()
        db.table("scheme_years").insert({"scheme": base.id, "year": year, "kind": "office", "based_on": source,
                                         "version": 0, "created_by": store.user, "created_at": stamp,
                                         "reason": reason})
        retired = _retired_units(store, source_scheme)  # a unit retired last year stays retired
        db.table("year_units").insert_all([{**year_unit_row(base.id, year, u, norm(u.name) in sample),
                                      **retired.get(norm(u.name), {})} for u in units])
        db.table("scheme_params").insert_all([{"scheme": base.id, "year": year, "version": 0, "key": key,
                                         "value": json.dumps(value, ensure_ascii=False), "changed_by": store.user,
                                         "changed_at": stamp, "reason": t("carried_from", year=source)}
                                        for key, value in params.items()])
        targets = target_lists.carry_forward(db, base.id, source, year)
        carried = {"year": year, "from": source, "units": len(units), "parameters": len(params), "targets": targets}
        store.audit("scheme-new-year", scheme=base.id, new=carried, reason=reason)
    return carried


def _retired_units(store: Store, scheme: Scheme) -> dict[str, dict]:
    from kaohe_tui.units import standing_rows

    table, where, args = standing_rows(store.db, scheme)
    return {r["key"]: {"retired_at": r["retired_at"], "retired_by": r["retired_by"],
                       "retired_reason": r["retired_reason"]}
            for r in store.db.query(f"SELECT key, retired_at, retired_by, retired_reason FROM {table} "
                                    f"WHERE {where} AND retired_at IS NOT NULL", args)}


def _sample_units(store: Store, scheme: Scheme) -> set[str]:
    """Keys of the invented (sample) units, so that a year carried forward still knows them."""
    if isinstance(scheme, YearScheme) and scheme.office:
        sql, args = "SELECT key FROM year_units WHERE scheme = ? AND year = ? AND sample = 1", [scheme.id, scheme.year]
    else:
        sql, args = "SELECT key FROM units WHERE scheme = ? AND sample = 1", [scheme.id]
    return {r["key"] for r in store.db.query(sql, args)}
