"""The administrative subcommands of ``kaohe``: verify, roles, grant/revoke, plugins, lint,
demo, history, backup/restore, init-office, serve. Parse → core call → print."""

from __future__ import annotations

from pathlib import Path

from kaohe_tui import catalog, plugins
from kaohe_tui.cli_support import json_out, open_store
from kaohe_tui.cli_support import print_failures as _print_failures
from kaohe_tui.cli_support import print_table as _print
from kaohe_tui.errors import KaoheError
from kaohe_tui.messages import t
from kaohe_tui.store import Store


def cmd_verify(args) -> int:
    from kaohe_tui.verify import verify

    store = open_store(args)
    if args.scheme:
        catalog.get(args.scheme)
    report = verify(store, args.scheme, args.period, full=args.full)
    for line in report.checked:
        print(t("cli_verify_ok", line=line))
    for line in report.problems:
        print(t("cli_verify_changed", line=line))
    if report.problems:
        raise KaoheError(t("cli_verify_failed", n=len(report.problems), first=report.problems[0]))
    return 0


def cmd_roles(args) -> int:
    from kaohe_tui.roles import grants

    store = open_store(args)
    rows = [g.__dict__ for g in grants(store)]
    if args.json:
        json_out(rows)
        return 0
    from kaohe_tui.report import table

    _print(table(["登录名", "角色", "方案", "科室", "单位"],
                 [[r["login"], r["role"], r["scheme"], r["section"], r["unit"]] for r in rows]))
    return 0


def cmd_grant(args) -> int:
    from kaohe_tui.roles import grant

    store = open_store(args)
    if args.scheme:
        catalog.get(args.scheme)
    grant(store, args.login, args.role, args.scheme, args.section, args.unit, args.reason or "")
    print(t("cli_granted", login=args.login, role=args.role))
    return 0


def cmd_revoke(args) -> int:
    from kaohe_tui.roles import revoke

    store = open_store(args)
    n = revoke(store, args.login, args.role, args.reason or "")
    print(t("cli_revoked", login=args.login, n=n, role=args.role))
    return 0


def cmd_plugins(args) -> int:
    from kaohe_tui import catalog as cat

    cat.schemes()  # scheme hooks run, so their failures are known too
    info = plugins.get_plugins()
    failed = [{"plugin": f.plugin, "where": f.where, "error": f.error} for f in plugins.failures]
    if args.json:
        json_out({"plugins": info, "failed": failed})
        return 0
    from kaohe_tui.report import table

    _print(table(["插件", "来源", "钩子"], [[p["name"], p["origin"], ", ".join(p["hooks"])] for p in info],
                 title="已加载插件"))
    if failed:
        _print(table(["插件", "位置", "错误"], [[f.plugin, f.place, f.error] for f in plugins.failures],
                     title="加载失败"))
    return 0


def cmd_lint(args) -> int:
    from kaohe_tui.lint import lint_scheme

    schemes = [catalog.get(args.scheme)] if args.scheme else list(catalog.schemes().values())
    errors = 0
    for scheme in schemes:
        findings = lint_scheme(scheme)
        errors += sum(1 for f in findings if f.level == "error")
        for finding in findings:
            print(finding)
        if not any(f.level == "error" for f in findings):
            warned = sum(1 for f in findings if f.level == "warning")
            print(t("cli_lint_ok", scheme=scheme.id) + (t("cli_lint_warned", warned=warned) if warned else ""))
    _print_failures()
    if errors:
        raise KaoheError(t("cli_lint_failed", errors=errors))
    return 0


def cmd_demo(args) -> int:
    from kaohe_tui.demo import load_demo, remove_demo

    store = open_store(args)
    schemes = [catalog.get(args.scheme)] if args.scheme else list(catalog.schemes().values())
    for scheme in schemes:
        if args.remove:
            print(t("cli_demo_removed", scheme=scheme.id, n=remove_demo(store, scheme)))
        else:
            print(t("cli_demo_loaded", scheme=scheme.id, n=load_demo(store, scheme)))
    return 0


def cmd_history(args) -> int:
    from kaohe_tui.audit import history

    store = open_store(args)
    rows = history(store, unit=args.unit, since=args.since)
    if args.json:
        json_out(rows)
        return 0
    from kaohe_tui.report import table

    _print(table(["#", "时间", "用户", "操作", "方案", "单位", "记录", "事由"],
                 [[r["id"], r["at"], r["user"], r["action"], r["scheme"] or "", r["unit"] or "", r["record_id"] or "",
                   r["reason"]] for r in rows]))
    return 0


def cmd_backup(args) -> int:
    store = Store(getattr(args, "db", None))
    target = store.backup(Path(args.file), force=args.force)
    print(t("cli_backed_up", source=store.path, target=target))
    return 0


def cmd_restore(args) -> int:
    from kaohe_tui.paths import default_db_path
    from kaohe_tui.restoring import restore_backup

    target = Path(getattr(args, "db", None) or default_db_path())
    digest = restore_backup(Path(args.file), target, args.reason or "")
    print(t("cli_restored", file=args.file, target=target, digest=digest))
    return 0


def cmd_init_office(args) -> int:
    from kaohe_tui.office import init_office

    db = init_office(Path(args.folder), args.group)
    args.db = str(db)
    open_store(args).close()  # created, migrated and seeded: its creator (the file's owner) administers it
    print(t("cli_office_ready", folder=db.parent, group=args.group, db=db))
    return 0


def cmd_serve(args) -> int:
    from kaohe_tui.serve import serve

    serve(args)
    return 0
