"""Import profiles: how one platform's case export maps onto kaohe's case fields.

A profile is a TOML file (``src/kaohe_tui/profiles/*.toml`` ship with kaohe; an office keeps its
own in the directory ``KAOHE_PROFILES`` names, or ``profiles/`` beside the database; a plugin
provides more through ``kaohe_case_profiles``). It says which header holds which field, which
columns are deliberately left unused, the status values of void and force-closed cases, the
satisfaction answers, extra time forms, which time is the case's period (立案 or 上报) and which
closing time counts (结案 or 处置结束). A profile is chosen automatically when every header it
maps is in the file (the one mapping most of the file wins), or by name (``--profile``);
``--map 'HEADER=field'`` maps one column for one import. Every column of a file is then either
used or listed as ignored: nothing is dropped without a word.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kaohe_tui.case_counts import ALL_COLUMNS, FORCE_CLOSED, NOT_VISITED, REQUIRED, SATISFIED, UNSATISFIED, VOID
from kaohe_tui.errors import KaoheError
from kaohe_tui.file_problems import toml_problem
from kaohe_tui.messages import t
from kaohe_tui.names import norm

FIELD_LABELS = {"case_id": "案件编号", "unit": "责任单位", "source": "来源", "reported_at": "上报时间",
                "filed_at": "立案时间", "deadline": "处置时限", "disposed_at": "处置结束时间", "closed_at": "结案时间",
                "force_closed_at": "强制结案时间", "extensions": "延期次数", "failed_checks": "核查未通过次数",
                "satisfaction": "回访满意度", "status": "案件状态"}
IGNORE = "ignore"


class MissingColumns(KaoheError):
    """A case file lacks a required field's column (the TUI then offers its mapping dialog)."""

    def __init__(self, message: str, header: list[str]):
        super().__init__(message)
        self.header = header


def _key(text: str) -> str:
    return norm(text).lower()


@dataclass
class Profile:
    name: str
    title: str = ""
    columns: dict[str, str] = field(default_factory=dict)  # header → field (or "ignore")
    ignore: list[str] = field(default_factory=list)  # headers read and deliberately unused
    period: str = "filed"  # the case's period: its 立案 time when the file has one ("reported": 上报)
    closing: str = "closed"  # the closing time that counts: 结案 ("closed") or 处置结束 ("disposed")
    void: tuple[str, ...] = VOID
    force_closed: tuple[str, ...] = FORCE_CLOSED
    satisfied: tuple[str, ...] = SATISFIED
    unsatisfied: tuple[str, ...] = UNSATISFIED
    not_visited: tuple[str, ...] = NOT_VISITED
    time_forms: tuple[str, ...] = ()  # strptime forms beyond the built-in ones
    source: str = ""  # the file it was read from

    @classmethod
    def load(cls, path: Path) -> Profile:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise KaoheError(toml_problem(path, exc)) from None
        except UnicodeDecodeError:
            raise KaoheError(t("profile_unreadable", path=path, error="不是 UTF-8 文本")) from None
        except OSError as exc:
            raise KaoheError(t("profile_unreadable", path=path, error=exc.strerror or exc)) from None
        known = {"name", "title", "columns", "ignore", "period", "closing", "status", "satisfaction", "time_forms"}
        if unknown := set(data) - known:
            raise KaoheError(t("profile_unknown_keys", path=path, keys="、".join(sorted(unknown)),
                               known="、".join(sorted(known))))
        columns = data.get("columns", {})
        for header, fld in columns.items():
            if fld not in ALL_COLUMNS and fld != IGNORE:
                raise KaoheError(t("profile_bad_column", path=path, header=header, field=fld,
                                          known="、".join([*ALL_COLUMNS, IGNORE])))
        if data.get("period", "filed") not in ("filed", "reported"):
            raise KaoheError(t("profile_bad_choice", path=path, setting="period", value=data["period"],
                               choices="filed（立案）或 reported（上报）"))
        if data.get("closing", "closed") not in ("closed", "disposed"):
            raise KaoheError(t("profile_bad_choice", path=path, setting="closing", value=data["closing"],
                               choices="closed（结案）或 disposed（处置）"))
        status, sat = data.get("status", {}), data.get("satisfaction", {})
        return cls(name=data.get("name") or Path(path).stem, title=data.get("title", ""), columns=dict(columns),
                   ignore=list(data.get("ignore", [])), period=data.get("period", "filed"),
                   closing=data.get("closing", "closed"),
                   void=tuple(status.get("void", VOID)), force_closed=tuple(status.get("force_closed", FORCE_CLOSED)),
                   satisfied=tuple(sat.get("satisfied", SATISFIED)),
                   unsatisfied=tuple(sat.get("unsatisfied", UNSATISFIED)),
                   not_visited=tuple(sat.get("not_visited", NOT_VISITED)), time_forms=tuple(data.get("time_forms", ())),
                   source=str(path))

    def dump(self) -> str:
        """The profile as TOML (what the TUI's mapping dialog saves)."""
        import tomli_w

        return tomli_w.dumps({"name": self.name, "title": self.title, "columns": self.columns, "ignore": self.ignore,
                              "period": self.period, "closing": self.closing})

    def knows(self, header: str) -> bool:
        key = _key(header)
        return any(_key(h) == key for h in [*self.columns, *self.ignore])


DEFAULT = Profile("default", "kaohe's own and the common platform header names")


def profile_dirs(db_path: Path | None = None) -> list[Path]:
    from kaohe_tui import plugins

    dirs = [Path(__file__).parent / "profiles"]
    for provided in plugins.call("kaohe_case_profiles"):
        dirs += [Path(p) for p in (provided or [])]
    if db_path is not None:
        dirs.append(Path(db_path).parent / "profiles")
    if os.environ.get("KAOHE_PROFILES"):
        dirs.append(Path(os.environ["KAOHE_PROFILES"]).expanduser())
    return dirs


def all_profiles(db_path: Path | None = None) -> dict[str, Profile]:
    """Every profile by name; an office's own overrides a shipped one of the same name."""
    found: dict[str, Profile] = {}
    for folder in profile_dirs(db_path):
        if folder.is_dir():
            for path in sorted(folder.glob("*.toml")) if folder.is_dir() else [folder]:
                profile = Profile.load(path)
                found[profile.name] = profile
        elif folder.suffix == ".toml" and folder.is_file():
            profile = Profile.load(folder)
            found[profile.name] = profile
    return found


def choose_profile(header: list[str], name: str | None = None, db_path: Path | None = None) -> Profile:
    """The profile named, or the one whose mapped headers are all in the file (the most of them
    wins), or the built-in names alone."""
    profiles = all_profiles(db_path)
    if name:
        if name not in profiles:
            raise KaoheError(t("profile_unknown", name=name, known="、".join(sorted(profiles)) or "无"))
        return profiles[name]
    keys = {_key(h) for h in header if h}
    fitting = [p for p in profiles.values() if p.columns and all(_key(h) in keys for h in p.columns)]
    return max(fitting, key=lambda p: len(p.columns) + len(p.ignore), default=DEFAULT)


@dataclass
class Mapping:
    columns: dict[str, int]  # field → column index
    ignored: list[str]  # the file's headers no field uses
    profile: Profile


def parse_overrides(pairs: list[str] | None) -> dict[str, str]:
    """``--map 'HEADER=field'`` → header → field (``ignore``: read and left unused)."""
    out = {}
    for pair in pairs or []:
        header, sep, fld = pair.rpartition("=")
        header, fld = header.strip(), fld.strip()
        if not sep or not header:
            raise KaoheError(t("map_format", pair=pair))
        if fld not in ALL_COLUMNS and fld != IGNORE:
            raise KaoheError(t("option_one_of", option="--map", value=pair, known="、".join([*ALL_COLUMNS, IGNORE])))
        out[header] = fld
    return out


def map_header(header: list[str], path: Path, profile: Profile = DEFAULT,
               overrides: dict[str, str] | None = None) -> Mapping:
    """Which column holds each field: ``--map`` first, then the profile, then the built-in names
    (the first of a field's names found wins: 处置部门 before 所属街道). A required field missing
    is an error naming every header accepted for it."""
    overrides = overrides or {}
    by_key: dict[str, int] = {}
    for index, h in enumerate(header):
        if h:
            by_key.setdefault(_key(h), index)
    columns: dict[str, int] = {}
    taken: set[int] = set()
    ignored_on_purpose: set[int] = set()
    for source in (overrides, profile.columns):
        for h, fld in source.items():
            i = by_key.get(_key(h))
            if i is None:
                if source is overrides:
                    raise KaoheError(t("map_no_column", path=path, header_name=h, field=fld, header="、".join(header)))
                continue
            if i in taken or i in ignored_on_purpose:
                continue
            if fld == IGNORE:
                ignored_on_purpose.add(i)
            elif fld not in columns:
                columns[fld] = i
                taken.add(i)
    for h in profile.ignore:
        if (i := by_key.get(_key(h))) is not None and i not in taken:
            ignored_on_purpose.add(i)
    for fld, accepted in ALL_COLUMNS.items():
        if fld in columns:
            continue
        for name in accepted:
            i = by_key.get(_key(name))
            if i is not None and i not in taken and i not in ignored_on_purpose:
                columns[fld] = i
                taken.add(i)
                break
    missing = [f for f in REQUIRED if f not in columns and not (f == "reported_at" and "filed_at" in columns)]
    if missing:
        parts = []
        for f in missing:
            names = [*ALL_COLUMNS[f], *(ALL_COLUMNS["filed_at"][1:] if f == "reported_at" else ())]
            parts.append(f"{FIELD_LABELS[f]}（可用列名：{'、'.join(names)}）")
        raise MissingColumns(f"{path}: 案件文件缺少列：{'；'.join(parts)}。"
                             f"文件的列：{'、'.join(h for h in header if h)}。"
                         f"用 --map '列名=字段' 指定，或用 --profile 选择导入配置", header)
    ignored = [h for i, h in enumerate(header) if h and i not in taken]
    return Mapping(columns, ignored, profile)


def known_header(profile: Profile, overrides: dict[str, str] | None = None):
    """A test for header cells (finding the header row below title rows)."""
    names = {_key(n) for names in ALL_COLUMNS.values() for n in names}
    names |= {_key(h) for h in [*profile.columns, *profile.ignore, *(overrides or {})]}
    return lambda text: _key(text) in names


def save_profile(folder: Path, name: str, columns: dict[str, str], ignore: list[str]) -> Path:
    """An office's profile from a mapping made by hand (the TUI's dialog): ``folder/NAME.toml``."""
    import re

    if not re.fullmatch(r"[\w\-\u4e00-\u9fff]+", name or ""):
        raise KaoheError(f"配置名 {name!r}：只用字母、数字、汉字、- 和 _")
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{name}.toml"
    target.write_text(Profile(name, f"{name}（在终端界面中保存）", columns, ignore).dump(), encoding="utf-8")
    return target


def column_samples(path: Path, count: int = 3) -> tuple[list[str], list[list[str]]]:
    """The header (found below title rows) and the first few values of every column."""
    from kaohe_tui.io.tabular import read_table

    header, rows = read_table(path, known=lambda h: known_header(DEFAULT)(h)
                              or any(p.knows(h) for p in all_profiles().values()))
    samples: list[list[str]] = [[] for _ in header]
    for _, values in rows:
        for i, value in enumerate(values[:len(header)]):
            if value and len(samples[i]) < count:
                samples[i].append(value)
        if all(len(s) >= count for s in samples):
            break
    return header, samples
