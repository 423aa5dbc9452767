"""``kaohe restore``: an administrator's act, and one the restored database remembers.

A restore puts back every record, role and signed-off period of an earlier day, so only an
administrator of the live database may do it. The audit line (who, which backup file, its
SHA-256) is written into the database as restored — a line written before would vanish with the
restore itself.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kaohe_tui.messages import t
from kaohe_tui.store import Store, restore


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def restore_backup(source: Path | str, target: Path | str, reason: str = "") -> str:
    """Replace the database at ``target`` with the backup ``source``; returns the backup's SHA-256."""
    from kaohe_tui.errors import KaoheError
    from kaohe_tui.roles import authorize

    source, target = Path(source).absolute(), Path(target)
    if target.exists():
        live = Store(target)
        try:
            authorize(live, "restore")
        finally:
            live.close()
    try:
        digest = sha256(source)
    except OSError as exc:
        raise KaoheError(t("restore_unreadable", source=source, reason=exc.strerror)) from None
    restore(source, target)
    restored = Store(target)  # an older backup is migrated here
    try:
        with restored.transaction():
            restored.audit("restore", new={"backup": str(source), "sha256": digest},
                           reason=reason or f"restore {source.name}")
    finally:
        restored.close()
    return digest
