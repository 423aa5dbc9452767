"""Who may change what. OS logins map to roles; the core checks every change, so the CLI and
the TUI refuse alike.

- administrator: everything, including closing/reopening periods and granting roles;
- assessor: an assessing section (考核扎口科室) may record and withdraw only for the units it
  assesses (``assessed_by``); an assessor without a section may do so for every unit of its
  scheme (schemes whose units name no assessing section);
- unit: a unit may enter only its own self-scores.
The owner of the database file is its first administrator (for a new database, its creator).
"""

from __future__ import annotations

import os
import pwd
from dataclasses import dataclass
from typing import TYPE_CHECKING

from sqlite_utils import Database

from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.names import norm
from kaohe_tui.stamps import now, os_login

if TYPE_CHECKING:
    from kaohe_tui.store import Store

ROLES = ("administrator", "assessor", "unit")
WRITES = ("record", "withdraw", "import")
UNIT_ACTIONS = ("self-score", "bonus-apply")  # what a unit does for itself (附件3 自评分, 附件6 申报)


def m003_roles(db: Database) -> None:
    db.table("roles").create({"id": int, "login": str, "role": str, "scheme": str, "section": str, "unit": str,
                        "granted_by": str, "granted_at": str}, pk="id", not_null={"login", "role"})
    # the owner of the file administers it: its creator for a new database; for an older one,
    # upgraded here, not whichever member of the office group happens to open it first
    db.table("roles").insert({"login": file_owner(db), "role": "administrator", "granted_by": "(file owner)",
                        "granted_at": now()})


def file_owner(db: Database) -> str:
    """The OS login owning the database file (the running login for an in-memory one)."""
    path = db.execute("PRAGMA database_list").fetchone()[2]
    if not path:
        return os_login()
    uid = os.stat(path).st_uid
    try:
        return pwd.getpwuid(uid).pw_name
    except KeyError:
        return f"uid{uid}"


class Refused(KaoheError):
    """The login's role does not allow this action."""


@dataclass
class Grant:
    login: str
    role: str
    scheme: str | None = None
    section: str | None = None
    unit: str | None = None

    def describe(self) -> str:
        parts = [self.role]
        if self.scheme:
            parts.append(f"scheme {self.scheme}")
        if self.section:
            parts.append(f"section {self.section}")
        if self.unit:
            parts.append(f"unit {self.unit}")
        return " ".join(parts)


def grants(store: Store, login: str | None = None) -> list[Grant]:
    sql = "SELECT * FROM roles" + (" WHERE login = ?" if login else "") + " ORDER BY id"
    return [Grant(r["login"], r["role"], r["scheme"], r["section"], r["unit"])
            for r in store.db.query(sql, [login] if login else [])]


def authorize(store: Store, action: str, scheme_id: str | None = None, unit: str | None = None,
              assessed_by: str | None = None, indicator: str | None = None,
              responsible: tuple[str, ...] = (), aliases: dict[str, list[str]] | None = None) -> None:
    """Refuse (``Refused``, one clear line) unless the current login may do ``action``.
    ``responsible``: the sections the scheme makes responsible for ``indicator`` (附件2's
    考核责任科室); where it names some, they assess it for every unit, else the unit's
    ``assessed_by`` (附件1's 扎口科室) does."""
    mine = grants(store, store.user)
    if not mine:
        raise Refused(t("no_role", user=store.user, path=store.path))
    if any(g.role == "administrator" for g in mine):
        return
    for g in mine:
        if g.scheme and scheme_id and g.scheme != scheme_id:
            continue
        if g.role == "assessor" and action in WRITES:
            if g.section is None:
                return
            if responsible:
                if same_section(g.section, responsible, aliases or {}):
                    return
            elif assessed_by and norm(assessed_by) == norm(g.section):
                return
        if g.role == "unit" and action in UNIT_ACTIONS and unit and g.unit and norm(unit) == norm(g.unit):
            return
    held = "；".join(_held(g) for g in mine)
    target = " ".join(x for x in (unit, indicator if responsible else None) if x)
    who = (t("refused_responsible", sections="、".join(responsible)) if responsible
           else t("refused_assessed_by", section=assessed_by) if assessed_by else "")
    raise Refused(t("refused_action", user=store.user, held=held, action=ACTION_NAMES.get(action, action),
                    target=f"：{target}" if target else "", who=who))


# what each guarded action is called in a refusal (the role ids stay: they are what --role takes)
ACTION_NAMES = {"record": "录入记录", "withdraw": "撤回记录", "import": "导入", "close": "签发关闭",
                "reopen": "重新开启", "grant": "授予角色", "revoke": "撤销角色", "demo": "载入或撤回演示台账",
                "import-targets": "导入目标责任书", "import-units": "导入单位", "scheme-new-year": "开始新的一年",
                "scheme-set": "调整参数", "self-score": "录入自评分", "bonus-apply": "申报附加分",
                "bonus-approve": "审批附加分", "restore": "恢复数据库"}


def _held(grant: Grant) -> str:
    parts = [grant.role]
    parts += [f"{label} {value}" for label, value in (("方案", grant.scheme), ("科室", grant.section),
                                                       ("单位", grant.unit)) if value]
    return "，".join(parts)


def same_section(section: str, names: tuple[str, ...], aliases: dict[str, list[str]]) -> bool:
    """Whether ``section`` is one of ``names``, either written as the scheme's aliases allow."""
    def forms(name: str) -> set[str]:
        key = norm(name)
        for main, others in aliases.items():
            group = {norm(main), *(norm(o) for o in others)}
            if key in group:
                return group
        return {key}
    mine = forms(section)
    return any(mine & forms(n) for n in names)


def grant(store: Store, login: str, role: str, scheme: str | None = None, section: str | None = None,
          unit: str | None = None, reason: str = "") -> None:
    if role not in ROLES:
        raise KaoheError(t("option_one_of", option="--role", value=role, known="、".join(ROLES)))
    if role == "unit" and not unit:
        raise KaoheError(t("role_unit_needed"))
    authorize(store, "grant")
    with store.transaction() as db:
        db.table("roles").insert({"login": login, "role": role, "scheme": scheme, "section": section, "unit": unit,
                            "granted_by": store.user, "granted_at": now()})
        store.audit("grant", scheme=scheme, unit=unit, new=Grant(login, role, scheme, section, unit).__dict__,
                    reason=reason)


def revoke(store: Store, login: str, role: str, reason: str = "") -> int:
    authorize(store, "revoke")
    with store.transaction() as db:
        rows = list(db.query("SELECT id FROM roles WHERE login = ? AND role = ?", [login, role]))
        if role == "administrator" and db["roles"].count_where("role = 'administrator' AND login != ?", [login]) == 0:
            raise KaoheError(t("role_last_admin"))
        for row in rows:
            db.execute("DELETE FROM roles WHERE id = ?", [row["id"]])
        store.audit("revoke", old={"login": login, "role": role}, reason=reason)
    return len(rows)
