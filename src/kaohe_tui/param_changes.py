"""An office changing a year's parameters (``kaohe scheme params``/``set``, the TUI's 参数
screen): each key listed beside the document's value, changes checked against the year's scheme
and lint, and set all or nothing as a new version. What the keys are and how a year's scheme is
built from them is ``scheme_params``."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.scheme import Scheme
from kaohe_tui.scheme_params import _UNIT_KEY, Param, _with, parameters, parse_value, split_pairs
from kaohe_tui.stamps import now
from kaohe_tui.store import Store


def year_parameters(store: Store, scheme_id: str, year: int | None) -> tuple[Scheme, list[dict]]:
    """A year's parameters beside the document's (the latest year when none is named): key,
    value, document value, changed, text, kind — for ``kaohe scheme params`` and the TUI."""
    from kaohe_tui import catalog
    from kaohe_tui.scheme_years import for_year, latest, units_of_year

    base = catalog.get(scheme_id)
    scheme = for_year(store, base, year) if year else latest(store, base)
    office = getattr(scheme, "office", False)
    document = {p.key: p.value for p in parameters(base)}
    changes = getattr(scheme, "changes", {})
    rows = []
    for p in parameters(scheme, units_of_year(store, scheme) if office else []):
        original = document.get(p.key, p.value)
        changed = p.value != original or (p.kind == "unit" and p.key in changes)
        rows.append({"key": p.key, "value": p.value, "document": original, "changed": changed, "text": p.text,
                     "kind": p.kind, "label": p.label})
    return scheme, rows


def _in_one_category(known: dict[str, Param], key: str) -> Param | None:
    """A key written without its ``[类别]``: the one category tree that has it."""
    found = [p for k, p in known.items() if k.startswith("[") and k.endswith("]" + norm(key))]
    if len(found) > 1:
        raise KaoheError(t("param_two_categories", param=key, keys="、".join(p.key for p in found)))
    return found[0] if found else None


@dataclass
class Change:
    key: str
    old: Any
    new: Any


def check_changes(store: Store, scheme: Scheme, pairs: list[tuple[str, str]]) -> tuple[list[Change], Scheme, list]:
    """The changes as typed, checked against the year's scheme: known keys, values of the same
    shape, and no new lint error (declared totals against their parts). Returns the changes,
    the changed scheme and the lint findings that remain (warnings, undefined points)."""
    from kaohe_tui import catalog
    from kaohe_tui.lint import lint_scheme
    from kaohe_tui.scheme_years import YearScheme, units_of_year

    office = isinstance(scheme, YearScheme) and scheme.office
    units = units_of_year(store, scheme) if office else []
    known = {norm(p.key): p for p in parameters(scheme, units)}
    changes: list[Change] = []
    for key, text in pairs:
        param = known.get(norm(key)) or _in_one_category(known, key)
        if param is None:
            if _UNIT_KEY.match(key) and not office:
                raise KaoheError(t("param_document_units", param=key))
            raise KaoheError(t("param_not_of_scheme", param=key, scheme=scheme.id))
        if any(c.key == param.key for c in changes):
            raise KaoheError(t("param_twice", param=key))
        changes.append(Change(param.key, param.value, parse_value(param.key, text, param.value)))
    # the year's changes so far and the new ones, applied to the document's scheme
    raw_changes = {**getattr(scheme, "changes", {}), **{c.key: c.new for c in changes}}
    changed = _with(catalog.get(scheme.id), raw_changes, f"{scheme.id}: scheme set")
    before = {str(f) for f in lint_scheme(scheme) if f.level == "error"}  # errors the document has already
    after = lint_scheme(changed)
    new_errors = [f for f in after if f.level == "error" and str(f) not in before]
    if new_errors:
        more = t("param_lint_more", n=len(new_errors) - 1) if len(new_errors) > 1 else ""
        raise KaoheError(t("param_lint", error=new_errors[0], more=more))
    return changes, changed, after


def set_params(store: Store, scheme_id: str, year: int, pairs: list[str], reason: str) -> list[Change]:
    """Change parameters of one year, all or nothing: linted, audited old → new with the reason,
    kept as a new version (a period already signed keeps its own)."""
    from kaohe_tui import catalog
    from kaohe_tui.roles import authorize
    from kaohe_tui.scheme_years import document_years, for_year, no_such_year, office_rows
    from kaohe_tui.text_fields import clean_text

    base = catalog.get(scheme_id)
    reason = clean_text(reason, "reason")
    if not reason:
        raise KaoheError(t("param_needs_reason"))
    parsed = split_pairs(pairs)
    if not parsed:
        raise KaoheError(t("param_none_given"))
    authorize(store, "scheme-set", base.id)
    with store.transaction() as db:
        row = office_rows(store, base.id).get(year)
        if row is None and year not in document_years(base):
            raise no_such_year(store, base, year)
        scheme = for_year(store, base, year)
        changes, _, _ = check_changes(store, scheme, parsed)
        changes = [c for c in changes if c.old != c.new]
        if not changes:
            raise KaoheError(t("param_nothing_to_change"))
        version = (row["version"] if row else 0) + 1
        stamp = now()
        if row is None:
            db.table("scheme_years").insert({"scheme": base.id, "year": year, "kind": "document", "based_on": None,
                                       "version": version, "created_by": store.user, "created_at": stamp,
                                       "reason": reason})
        else:
            db.execute("UPDATE scheme_years SET version = ? WHERE scheme = ? AND year = ?", [version, base.id, year])
        db.table("scheme_params").insert_all([{"scheme": base.id, "year": year, "version": version, "key": c.key,
                                         "value": json.dumps(c.new, ensure_ascii=False), "changed_by": store.user,
                                         "changed_at": stamp, "reason": reason} for c in changes])
        store.audit("scheme-set", scheme=base.id, old={"year": year, **{c.key: c.old for c in changes}},
                    new={"year": year, "version": version, **{c.key: c.new for c in changes}}, reason=reason)
    return changes
