"""Small builders for rule tests: an indicator from keyword arguments, entries, a context."""

from __future__ import annotations

from itertools import count

from kaohe_tui import rules
from kaohe_tui.periods import Period
from kaohe_tui.rules.base import Context, Entry, Outcome
from kaohe_tui.scheme import Clause, Indicator, Unit

_ids = count(1)


def indicator(name="指标", points=10.0, rule=None, clauses=(), children=(), params=None, **kw) -> Indicator:
    return Indicator(name=name, points=points, rule=rule, params=params or {},
                     clauses=[c if isinstance(c, Clause) else Clause(**c) for c in clauses],
                     children=list(children), **kw)


def entry(unit="甲", clause=None, count=None, amount=None, value=None, period="2018", date=None, attrs=None,
          indicator="指标", reason="") -> Entry:
    return Entry(id=next(_ids), unit=unit, indicator=indicator, clause=clause, count=count, amount=amount,
                 value=value, period=period, date=date, reason=reason, attrs=attrs or {})


def run(ind: Indicator, records=(), *, unit="甲", period="2018", peers=None, unit_attrs=None, children=None,
        score_period=None, peer_attrs=None) -> Outcome:
    """Score ``ind`` for ``unit``; ``peers`` maps other units to their records."""
    problem = rules.check_indicator_params(ind)
    assert problem is None, problem
    peers = dict(peers or {})
    peers[unit] = list(records)
    peer_units = {name: Unit(name=name, attrs=(peer_attrs or {}).get(name, {})) for name in peers}
    me = Unit(name=unit, attrs=unit_attrs or {})
    peer_units[unit] = me
    ctx = Context(indicator=ind, path=ind.name, unit=me, period=Period.parse(period), records=list(records),
                  peers=peers, peer_units=peer_units, children=children or {}, score_period=score_period)
    return rules.get(ind.rule_type).score(ctx)


def validate(ind: Indicator, e: Entry) -> str | None:
    return rules.get(ind.rule_type).validate(ind, e)
