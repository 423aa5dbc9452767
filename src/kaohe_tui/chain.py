"""The audit log as a hash chain: each row's ``hash`` covers its own fields and the hash of the
row before it, so changing, inserting or deleting a row in the middle (with ``sqlite3``, past
the append-only triggers) breaks every link after it. Sign-off snapshots keep the chain head
(id and hash), which pins the rows before it as well.

A chain has no secret: whoever can write the file can also recompute every hash. It makes an
edit detectable by ``kaohe verify`` against a head written down elsewhere (the signed paper,
``kaohe close``'s output), not impossible.
"""

from __future__ import annotations

import hashlib
import json

from kaohe_tui.messages import t

FIELDS = ("id", "at", "user", "action", "scheme", "unit", "record_id", "old", "new", "reason")
GENESIS = "0" * 64


def row_hash(prev: str, row: dict | tuple) -> str:
    values = [row[f] for f in FIELDS] if isinstance(row, dict) else list(row)
    text = json.dumps([prev, *values], ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def head(conn) -> tuple[int, str]:
    """The last row's id and hash (0 and the genesis hash for an empty log)."""
    row = conn.execute("SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1").fetchone()
    return (row[0], row[1] or GENESIS) if row else (0, GENESIS)


def append(conn, row: dict) -> int:
    """Insert ``row`` (the audit fields but ``id``) as the next link; returns its id. Call inside
    the write transaction, which keeps the head from moving under us."""
    last_id, last_hash = head(conn)
    row = {**row, "id": last_id + 1}
    row["hash"] = row_hash(last_hash, row)
    columns = [*FIELDS, "hash"]
    conn.execute(f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                 [row[c] for c in columns])
    return row["id"]


def append_many(conn, rows: list[dict]) -> None:
    """``append`` for many rows at once, in order (a later export's case updates)."""
    last_id, prev = head(conn)
    columns = [*FIELDS, "hash"]
    values = []
    for n, row in enumerate(rows, 1):
        row = {**row, "id": last_id + n}
        prev = row["hash"] = row_hash(prev, row)
        values.append([row[c] for c in columns])
    conn.executemany(f"INSERT INTO audit ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", values)


def rechain(conn) -> None:
    """Give every row its hash (the migration that starts the chain)."""
    prev = GENESIS
    updates = []
    for values in conn.execute(f"SELECT {', '.join(FIELDS)} FROM audit ORDER BY id").fetchall():
        prev = row_hash(prev, values)
        updates.append((prev, values[0]))
    conn.executemany("UPDATE audit SET hash = ? WHERE id = ?", updates)


def walk(conn) -> tuple[list[str], int, dict[int, str]]:
    """Walk the chain: what is wrong (one line each), how many rows, and each row's hash by id
    (for the snapshots' heads). A row whose hash does not match was changed (or the row before
    it removed); a gap in the ids is rows deleted."""
    problems: list[str] = []
    hashes: dict[int, str] = {}
    prev, expected_id, n = GENESIS, 1, 0
    for *values, stored in conn.execute(f"SELECT {', '.join(FIELDS)}, hash FROM audit ORDER BY id"):
        n += 1
        row_id = values[0]
        if row_id != expected_id:
            gap = f"#{expected_id}" if row_id == expected_id + 1 else f"#{expected_id}–#{row_id - 1}"
            problems.append(t("chain_deleted", gap=gap, before=expected_id - 1, after=row_id))
        elif row_hash(prev, values) != stored:
            problems.append(t("chain_changed", id=row_id, action=values[3], at=values[1])
                            if stored else t("chain_unlinked", id=row_id))
        hashes[row_id] = stored
        prev, expected_id = stored or GENESIS, row_id + 1
    return problems, n, hashes
