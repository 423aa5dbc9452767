"""What the lists show — the schemes with their counts, a scheme's units with their columns —
computed once for ``kaohe schemes``/``kaohe units`` and the TUI's scheme list and units view."""

from __future__ import annotations

from dataclasses import dataclass, field

from kaohe_tui import catalog, plugins
from kaohe_tui.messages import t
from kaohe_tui.scheme import Scheme, Unit
from kaohe_tui.store import Store


def display_title(scheme: Scheme) -> str:
    """A scheme whose units are invented (the document names none) says so in its title."""
    return t("sample_title", title=scheme.title) if scheme.sample else scheme.title


def display_unit(unit: Unit) -> str:
    return t("sample_unit", name=unit.name) if unit.sample else unit.name


@dataclass
class SchemeSummary:
    id: str
    title: str
    display_title: str  # the title with the sample mark (see display_title)
    periods: list[str]
    plugin: str | None
    units: int
    records: int  # active (not withdrawn) ledger records
    categories: list[str]
    sample: bool
    years: list[dict] = field(default_factory=list)  # scheme_years.years_of: {"year", "kind", …}

    def years_text(self) -> str:
        """The years as ``kaohe schemes`` and the TUI's scheme list show them: 2018、2019（办公室）;
        consecutive years of one kind as a run (2018、2019–2021（办公室）), so the list fits 80 columns."""
        runs: list[list] = []  # [first, last, kind]
        for y in self.years:
            if runs and runs[-1][2] == y["kind"] and runs[-1][1] + 1 == y["year"]:
                runs[-1][1] = y["year"]
            else:
                runs.append([y["year"], y["year"], y["kind"]])
        return "、".join((f"{first}" if first == last else f"{first}–{last}")
                        + (t("office_year_mark") if kind == "office" else "") for first, last, kind in runs)

    def as_json(self) -> dict:
        """``kaohe schemes --json``'s object (a contract: DESIGN.md)."""
        return {"id": self.id, "title": self.title, "periods": self.periods, "plugin": self.plugin,
                "units": self.units, "categories": self.categories, "sample": self.sample, "years": self.years}


def scheme_summaries(store: Store, years: bool = True) -> list[SchemeSummary]:
    """Every loaded scheme with its unit and record counts (``years``: the office's own years too)."""
    from kaohe_tui.scheme_years import years_of

    out = []
    for scheme in catalog.schemes().values():
        out.append(SchemeSummary(
            id=scheme.id, title=scheme.title, display_title=display_title(scheme), periods=list(scheme.periods),
            plugin=scheme.plugin, units=store.db["units"].count_where("scheme = ?", [scheme.id]),
            records=store.db["records"].count_where("scheme = ? AND withdrawn_at IS NULL", [scheme.id]),
            categories=[c.name for c in scheme.categories], sample=scheme.sample,
            years=years_of(store, scheme) if years else []))
    return out


def unit_columns(scheme: Scheme, units: list[Unit]) -> list[tuple[str, str]]:
    """(attribute key, column title) of a scheme's units beyond name, category, section and
    aliases: the plugins' columns first (hook ``kaohe_unit_attributes``, with their titles), then
    any other attribute a unit carries (an imported list's extra columns), titled by its key."""
    columns: list[tuple[str, str]] = []
    for provided in plugins.call("kaohe_unit_attributes", scheme=scheme):
        columns += [(str(k), str(title)) for k, title in provided or []]
    known = {k for k, _ in columns}
    for unit in units:
        for key in unit.attrs:
            if key not in known:
                known.add(key)
                columns.append((key, key))
    return columns
