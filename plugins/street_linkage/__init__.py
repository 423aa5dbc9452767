"""Scheme ``street-linkage``: 街镇“大联动”推进工作测评, 附表一 (65 分, seed 004).

The document is cut off inside section 四: the scheme marks the 10 points it declares but never
defines as ``undefined`` and ``kaohe lint`` reports them. The document names no streets or towns,
so the scheme ships 13 clearly labelled sample ones (``data/street-linkage/sample_units.csv``).
Every rule is a built-in rule type; this plugin only provides the scheme, the unit attribute and a
demo ledger.
"""

from __future__ import annotations

from kaohe_tui.api import bundled, hookimpl

from . import demo

SCHEME_ID = "street-linkage"



@hookimpl
def kaohe_schemes():
    return [bundled("schemes") / f"{SCHEME_ID}.toml"]


@hookimpl
def kaohe_unit_attributes(scheme):
    return [("实有工作站", "实有工作站")]


@hookimpl
def kaohe_demo_records(scheme):
    return demo.records()
