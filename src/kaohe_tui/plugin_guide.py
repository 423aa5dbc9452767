"""The generated parts of the plugin guide (docs/PLUGINS.md): the scheme file reference, from
scheme.py's pydantic models, and the rule types with their parameters, from the registry
(``rules.all_types()``). Their comments in the source are the explanations, so the guide says
what the code says. ``python -m kaohe_tui.plugin_guide [docs/PLUGINS.md]`` rewrites the
generated sections; a test fails when the file is stale."""

from __future__ import annotations

import ast
import inspect
import re
import sys
import textwrap
import typing
from pathlib import Path

from pydantic import BaseModel
from pydantic_core import PydanticUndefined

from kaohe_tui import rules
from kaohe_tui.scheme import Scheme

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "PLUGINS.md"
SECTION = re.compile(r"(<!-- BEGIN GENERATED: (?P<name>[a-z-]+) -->\n).*?(<!-- END GENERATED: (?P=name) -->)", re.S)


def _fields_in_source(cls: type) -> dict[str, tuple[str, str]]:
    """name → (annotation as written, trailing comment) for the fields a class body declares,
    base classes first."""
    out: dict[str, tuple[str, str]] = {}
    for klass in reversed(cls.__mro__):
        if klass in (BaseModel, object) or not issubclass(klass, BaseModel):
            continue
        source = textwrap.dedent(inspect.getsource(klass))
        lines = source.splitlines()
        body = ast.parse(source).body[0]
        assert isinstance(body, ast.ClassDef)  # the source of a class
        for node in body.body:
            if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                line = lines[node.lineno - 1]
                comment = line.split("  # ", 1)[1].strip() if "  # " in line else ""
                above = node.lineno - 2
                while not comment and above >= 0 and lines[above].strip().startswith("#"):
                    above -= 1  # else the comment lines just above the field
                if not comment:
                    comment = " ".join(x.strip().lstrip("# ") for x in lines[above + 1:node.lineno - 1])
                out[node.target.id] = (ast.get_source_segment(source, node.annotation) or "", comment)
    return out


def _default(info) -> str:
    if info.default is PydanticUndefined and info.default_factory is None:
        return "（必填）"
    value = info.default_factory() if info.default_factory is not None else info.default
    return "" if value is None else f"`{value!r}`"


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _models() -> list[tuple[type[BaseModel], list[str]]]:
    """Every model a scheme file is made of, with the places it appears (``indicators[].clauses``)."""
    found: dict[type[BaseModel], list[str]] = {Scheme: ["（文件顶层）"]}
    queue: list[tuple[type[BaseModel], str]] = [(Scheme, "")]
    while queue:
        model, prefix = queue.pop(0)
        for name, info in model.model_fields.items():
            for arg in typing.get_args(info.annotation) or (info.annotation,):
                arg = model if arg == model.__name__ else arg  # self-reference ("Indicator" children)
                if isinstance(arg, type) and issubclass(arg, BaseModel):
                    where = f"{prefix}{name}[]"
                    if arg not in found:
                        found[arg] = [where]
                        queue.append((arg, f"{where}."))
                    elif where not in found[arg] and len(found[arg]) < 4:
                        found[arg].append(where)
    return list(found.items())


def toml_reference() -> str:
    out = []
    for model, places in _models():
        declared = _fields_in_source(model)
        doc = inspect.cleandoc(model.__dict__.get("__doc__") or "")  # its own, not BaseModel's
        out.append(f"### {model.__name__} — {'、'.join(f'`{p}`' for p in places)}\n")
        if doc:
            out.append(doc.split("\n\n")[0].replace("\n", " ") + "\n")
        out.append("| 字段 | 类型 | 缺省 | 说明 |\n| --- | --- | --- | --- |")
        for name, info in model.model_fields.items():
            annotation, comment = declared.get(name, ("", ""))
            out.append(f"| `{name}` | `{_cell(annotation)}` | {_cell(_default(info))} | {_cell(comment)} |")
        out.append("")
    return "\n".join(out)


def rule_types() -> str:
    out = ["| 规则 (`rule`) | 说明 | 记录的数 | 参数 (`params`) | 来自 |",
           "| --- | --- | --- | --- | --- |"]
    for name, rule in sorted(rules.all_types().items()):
        declared = _fields_in_source(rule.Params)
        params = []
        for key, info in rule.Params.model_fields.items():
            annotation, comment = declared.get(key, ("", ""))
            default = _default(info)
            params.append(f"`{key}`: `{annotation}`" + (f" = {default}" if default else "")
                          + (f" — {comment}" if comment else ""))
        module = type(rule).__module__
        plugin = module.removeprefix("kaohe_plugin_").split(".")[0]
        origin = "内置" if module.startswith("kaohe_tui.") else f"插件 {plugin}"
        out.append(f"| `{name}` | {_cell(rule.title)} | {rule.uses} | {_cell('<br>'.join(params))} | {origin} |")
    return "\n".join(out) + "\n"


GENERATORS = {"toml-reference": toml_reference, "rule-types": rule_types}


def render(text: str) -> str:
    """``text`` with every generated section written afresh."""
    return SECTION.sub(lambda m: m.group(1) + "\n" + GENERATORS[m.group("name")]() + "\n" + m.group(3), text)


def main(argv: list[str] | None = None) -> int:
    path = Path((argv or sys.argv[1:] or [str(GUIDE)])[0])
    path.write_text(render(path.read_text(encoding="utf-8")), encoding="utf-8")
    print(f"rewrote the generated sections of {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
