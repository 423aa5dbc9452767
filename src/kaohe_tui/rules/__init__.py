"""The registry of rule types: the built-in ones and those the plugins add (hook
``kaohe_rule_types``; a built-in's name cannot be taken). A scheme file names a type and gives its
parameters."""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from kaohe_tui import plugins
from kaohe_tui.errors import SchemeError
from kaohe_tui.file_problems import pydantic_problem
from kaohe_tui.messages import t
from kaohe_tui.rules.base import RuleType
from kaohe_tui.rules.composite import AssessedValue, Bonus, QuarterMean, Sum, TargetItems, Undefined, WeightedComposite
from kaohe_tui.rules.deductions import NoticeLadder, PerOccurrence, RangeDeduction
from kaohe_tui.rules.quota import MonthlyQuota
from kaohe_tui.rules.statistics import RankBands, RatioToExpected, RelativeToAverage, WeightedClosureRate

BUILTIN_RULE_TYPES: tuple[type[RuleType], ...] = (
    PerOccurrence, RangeDeduction, NoticeLadder,
    RatioToExpected, RelativeToAverage, RankBands, MonthlyQuota, WeightedClosureRate,
    Sum, WeightedComposite, QuarterMean, AssessedValue, TargetItems, Bonus, Undefined,
)

_registry: dict[str, RuleType] = {cls.name: cls() for cls in BUILTIN_RULE_TYPES}
_from_plugins: dict[str, Any] = {"generation": None, "types": {}}


def register(rule_type: RuleType | type[RuleType]) -> None:
    instance = rule_type() if isinstance(rule_type, type) else rule_type
    _registry[instance.name] = instance


def _plugin_types() -> dict[str, RuleType]:
    """The rule types the loaded plugins add (hook ``kaohe_rule_types``), asked again whenever
    the set of plugins changed. The registry asks the plugins, never the other way round."""
    plugins.load_plugins()
    if _from_plugins["generation"] != plugins.generation():
        found: dict[str, RuleType] = {}
        for provided in plugins.call("kaohe_rule_types"):
            for rule_type in provided or []:
                instance = rule_type() if isinstance(rule_type, type) else rule_type
                found[instance.name] = instance
        _from_plugins.update(generation=plugins.generation(), types=found)
    return _from_plugins["types"]


def get(name: str) -> RuleType | None:
    return _registry.get(name) or _plugin_types().get(name)


def require(name: str) -> RuleType:
    """The rule type of an indicator of a loaded scheme. Loading refused an unknown one, so only a
    plugin gone since (``KAOHE_LOAD_PLUGINS`` narrowed) gets here: one line, not a traceback."""
    rule = get(name)
    if rule is None:
        raise SchemeError(t("unknown_rule_type", name=name))
    return rule


def all_types() -> dict[str, RuleType]:
    """Every rule type by name: the built-in ones, then the plugins'."""
    return {**_plugin_types(), **_registry}


def check_indicator_params(indicator) -> str | None:
    """The problem with an indicator's rule and parameters, or None (used when loading schemes)."""
    rule = get(indicator.rule_type)
    if rule is None:
        return t("rule_unknown", rule=indicator.rule_type)
    try:
        rule.params(indicator)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        return t("rule_params", setting=loc, problem=pydantic_problem(first))
    return rule.check(indicator)
