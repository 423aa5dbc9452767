"""The schemes the plugins provide, loaded once and validated; a bad one is reported and skipped."""

from __future__ import annotations

from pathlib import Path

from kaohe_tui import plugins
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.paths import bundled
from kaohe_tui.scheme import Anomaly, Scheme, Unit, describe_units, read_unit_source
from kaohe_tui.scheme_files import load_scheme

_cache: dict[str, Scheme] | None = None
_origins: dict[str, Path] = {}


def schemes() -> dict[str, Scheme]:
    global _cache
    if _cache is None:
        found: dict[str, Scheme] = {}
        for plugin_name, provided in plugins.call_by_plugin("kaohe_schemes"):
            for item in provided:
                try:
                    scheme = item if isinstance(item, Scheme) else load_scheme(Path(item), plugin_name)
                except KaoheError as exc:
                    plugins.failures.append(plugins.Failure(plugin_name, "kaohe_schemes", str(exc)))
                    continue
                scheme.plugin = scheme.plugin or plugin_name
                if scheme.id in found:
                    plugins.failures.append(plugins.Failure(plugin_name, "kaohe_schemes",
                                                            t("scheme_id_taken", id=scheme.id,
                                                              first=found[scheme.id].plugin)))
                    continue
                found[scheme.id] = scheme
                if not isinstance(item, Scheme):
                    _origins[scheme.id] = Path(item).parent
        _cache = found
    return _cache


def get(scheme_id: str) -> Scheme:
    all_schemes = schemes()
    if scheme_id in all_schemes:
        return all_schemes[scheme_id]
    key = norm(scheme_id)
    for scheme in all_schemes.values():
        if norm(scheme.title) == key:
            return scheme
    known = "、".join(sorted(all_schemes)) or "无"
    raise KaoheError(t("scheme_not_loaded", scheme=scheme_id, known=known))


def data_dir_for(scheme: Scheme) -> list[Path]:
    """Where a scheme's ``unit_sources`` are looked for: the bundled data/, then its own folder."""
    dirs = [bundled("data")]
    if scheme.id in _origins:
        dirs += [_origins[scheme.id], _origins[scheme.id].parent / "data"]
    return dirs


def declared_units(scheme: Scheme) -> tuple[list[Unit], list[Anomaly]]:
    """The scheme's units: those written in the file, then those read from its data files."""
    units = list(scheme.units)
    anomalies: list[Anomaly] = []
    seen = {norm(u.name) for u in units}
    for source in scheme.unit_sources:
        folder = next((d for d in data_dir_for(scheme) if (d / source.file).exists()), bundled("data"))
        if source.describes or source.alias_of:  # adds aliases/attrs to units listed already
            units, found = describe_units(units, source, folder)
            anomalies += found
            continue
        read, found = read_unit_source(source, folder)
        anomalies += found
        for unit in read:
            if norm(unit.name) in seen:
                anomalies.append(Anomaly(file=source.file, row=0, field=source.name,
                                         message=t("unit_listed_twice", name=unit.name)))
                continue
            seen.add(norm(unit.name))
            units.append(unit.model_copy(update={"sample": True}) if source.sample else unit)
    return units, anomalies


def reset() -> None:
    global _cache
    _cache = None
    _origins.clear()
