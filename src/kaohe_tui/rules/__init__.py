"""The registry of rule types. Built-in types are registered like any plugin's (hook
``kaohe_rule_types``); a scheme file names a type and gives its parameters."""

from __future__ import annotations

from pydantic import ValidationError

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


def register(rule_type: RuleType | type[RuleType]) -> None:
    instance = rule_type() if isinstance(rule_type, type) else rule_type
    _registry[instance.name] = instance


def get(name: str) -> RuleType | None:
    if name not in _registry:
        # plugins may contribute rule types: make sure they have been asked
        from kaohe_tui.plugins import load_plugins

        load_plugins()
    return _registry.get(name)


def all_types() -> dict[str, RuleType]:
    from kaohe_tui.plugins import load_plugins

    load_plugins()
    return dict(_registry)


def check_indicator_params(indicator) -> str | None:
    """The problem with an indicator's rule and parameters, or None (used when loading schemes)."""
    rule = get(indicator.rule_type)
    if rule is None:
        return f"rule {indicator.rule_type!r} is not a known rule type"
    try:
        rule.params(indicator)
    except ValidationError as exc:
        first = exc.errors()[0]
        loc = ".".join(str(p) for p in first["loc"])
        return f"params.{loc}: {first['msg']}"
    return rule.check(indicator)
