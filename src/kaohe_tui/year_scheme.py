"""The tables of an office's own years of a scheme (migrations m009, m012) and ``YearScheme``,
a scheme as it stands for one year. Below the store (its migrations are listed there) and below
``scheme_params`` and ``units``, which build and read a year; ``scheme_years`` finds the scheme
for a period and starts a new year.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field
from sqlite_utils import Database

from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme


def m009_scheme_years(db: Database) -> None:
    db.table("scheme_years").create(
        {"scheme": str, "year": int, "kind": str, "based_on": int, "version": int,
         "created_by": str, "created_at": str, "reason": str},
        pk=("scheme", "year"), not_null={"scheme", "year", "kind", "version"})
    db.table("scheme_params").create(
        {"id": int, "scheme": str, "year": int, "version": int, "key": str, "value": str,
         "changed_by": str, "changed_at": str, "reason": str},
        pk="id", not_null={"scheme", "year", "version", "key", "value"})
    db.table("scheme_params").create_index(["scheme", "year", "version"])
    db.table("year_units").create(
        {"id": int, "scheme": str, "year": int, "name": str, "key": str, "category": str, "assessed_by": str,
         "aliases": str, "attrs": str, "sample": int},
        pk="id", not_null={"scheme", "year", "name", "key"})
    db.table("year_units").create_index(["scheme", "year", "key"], unique=True)
    db.table("signed_versions").create(
        {"id": int, "scheme": str, "period": str, "year": int, "version": int, "signed_at": str},
        pk="id", not_null={"scheme", "period", "year", "version"})
    db.table("signed_versions").create_index(["scheme", "period"])
    for statement in (
        # a parameter once set is history: later changes add rows, none is rewritten
        "CREATE TRIGGER scheme_params_no_update BEFORE UPDATE ON scheme_params BEGIN "
        "SELECT RAISE(ABORT, 'parameter history is append-only'); END",
        "CREATE TRIGGER scheme_params_no_delete BEFORE DELETE ON scheme_params BEGIN "
        "SELECT RAISE(ABORT, 'parameter history is append-only'); END",
        # whichever code closes a period, the version then in force is recorded with it
        *(f"CREATE TRIGGER periods_signed_version_{when} AFTER {event} ON periods "
          "WHEN NEW.status = 'closed' BEGIN "
          "INSERT INTO signed_versions (scheme, period, year, version, signed_at) VALUES (NEW.scheme, NEW.period, "
          "CAST(substr(NEW.period, 1, 4) AS INTEGER), coalesce((SELECT version FROM scheme_years "
          "WHERE scheme = NEW.scheme AND year = CAST(substr(NEW.period, 1, 4) AS INTEGER)), 0), "
          "coalesce(NEW.changed_at, datetime('now'))); END"
          for when, event in (("insert", "INSERT"), ("update", "UPDATE OF status"))),
    ):
        db.execute(statement)


def m012_year_units_standing(db: Database) -> None:
    """An office year's units retire in that year (``kaohe units --year Y --retire``), as the
    document's do in ``units`` (m008): a signed year's list never changes with a later one."""
    for column in ("retired_at", "retired_by", "retired_reason"):
        db.execute(f"ALTER TABLE year_units ADD COLUMN {column} TEXT")


class YearScheme(Scheme):
    """A scheme as it stands for one year (and one parameter version). Same id as the built-in:
    records, periods and results stay addressed by the contract's scheme id."""

    year: int = Field(0, exclude=True)
    version: int = Field(0, exclude=True)
    office: bool = Field(False, exclude=True)  # an office year: units from ``year_units``
    changes: dict[str, Any] = Field({}, exclude=True)  # key → value where it differs from the document


def document_years(scheme: Scheme) -> list[int]:
    return sorted({Period.parse(p).year for p in scheme.periods})
