"""Parsed scheme files kept in the login's cache (scheme_cache.py): keyed on the file's bytes, so a
changed file is read anew; only this login's own, unshared entries are believed."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from conftest import FIXTURES
from kaohe_tui import scheme_cache
from kaohe_tui.errors import SchemeError
from kaohe_tui.scheme_files import load_scheme

FIXTURE = FIXTURES / "core_plugin" / "fixture.toml"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(scheme_cache.ENV, str(folder))
    return folder


def _scheme_file(tmp_path: Path, title: str) -> Path:
    path = tmp_path / "scheme.toml"
    path.write_text(FIXTURE.read_text(encoding="utf-8").replace('title = "测试方案"', f'title = "{title}"'),
                    encoding="utf-8")
    return path


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.json"))


def test_a_changed_scheme_file_is_read_anew(cache, tmp_path):
    path = _scheme_file(tmp_path, "第一版")
    assert load_scheme(path).title == "第一版"
    assert len(_entries(cache)) == 1  # parsed once, kept
    assert load_scheme(path).title == "第一版"  # from the cache
    path.write_text(path.read_text(encoding="utf-8").replace("第一版", "第二版"), encoding="utf-8")
    assert load_scheme(path).title == "第二版"
    assert len(_entries(cache)) == 2  # the new content has its own entry


def _planted(cache: Path, tmp_path: Path) -> tuple[Path, Path]:
    """A scheme file, and its cache entry changed to say something else (as another login would)."""
    path = _scheme_file(tmp_path, "真标题")
    load_scheme(path)
    (entry,) = _entries(cache)
    entry.write_text(entry.read_text(encoding="utf-8").replace("\\u771f", "\\u5047"), encoding="utf-8")  # 真 → 假
    return path, entry


def test_the_cache_is_what_is_read_when_it_is_this_login_s_own(cache, tmp_path):
    path, _ = _planted(cache, tmp_path)
    assert load_scheme(path).title == "假标题"  # the entry is read, not the file: why only own entries count


@pytest.mark.parametrize("shared", ["entry", "folder"])
def test_an_entry_others_could_write_is_not_believed(cache, tmp_path, shared):
    path, entry = _planted(cache, tmp_path)
    (entry if shared == "entry" else cache).chmod(0o664 if shared == "entry" else 0o775)
    assert load_scheme(path).title == "真标题"


def test_a_broken_entry_means_parsing(cache, tmp_path):
    path = _scheme_file(tmp_path, "真标题")
    load_scheme(path)
    (entry,) = _entries(cache)
    entry.write_text("{not json", encoding="utf-8")
    assert load_scheme(path).title == "真标题"


def test_an_unwritable_cache_folder_only_costs_the_parse(tmp_path, monkeypatch):
    monkeypatch.setenv(scheme_cache.ENV, str(tmp_path / "a-file" / "cache"))
    (tmp_path / "a-file").write_text("")
    assert load_scheme(_scheme_file(tmp_path, "照常")).title == "照常"


def test_what_json_cannot_hold_is_not_kept_and_parses_as_before(cache):
    data = b'when = 2018-04-05\nat = 09:03:00\n'
    assert scheme_cache.parse(data) == tomllib.loads(data.decode())
    assert scheme_cache.parse(data) == tomllib.loads(data.decode())
    assert _entries(cache) == []


def test_line_ends_read_as_the_text_reader_reads_them(cache, tmp_path):
    path = tmp_path / "crlf.toml"
    path.write_bytes(b'text = """one\r\ntwo\rthree"""\r\nn = 1\r\n')
    expected = tomllib.loads(path.read_text(encoding="utf-8"))
    assert scheme_cache.parse(path.read_bytes()) == expected == {"text": "one\ntwo\nthree", "n": 1}
    assert scheme_cache.parse(path.read_bytes()) == expected  # from the cache


def test_bad_files_are_still_named(cache, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b'id = "x"\ntitle = "\xff"\n')
    with pytest.raises(SchemeError, match="bad.toml：不是 UTF-8 文本（第19字节）"):
        load_scheme(bad)
    bad.write_text('id = "x\n', encoding="utf-8")
    with pytest.raises(SchemeError, match="bad.toml：第1行第8列：不是有效的 TOML 写法"):
        load_scheme(bad)
    assert _entries(cache) == []


def test_the_cache_is_this_login_s_alone(cache, tmp_path):
    load_scheme(_scheme_file(tmp_path, "私有"))
    assert cache.stat().st_mode & 0o777 == 0o700
    assert all(e.stat().st_mode & 0o777 == 0o600 for e in _entries(cache))
    assert all(e.stat().st_uid == os.geteuid() for e in _entries(cache))
