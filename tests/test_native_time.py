"""The bulk import's C time reader (``kaohe_time``) takes a subset of what the careful path's
``parse_time`` takes, and gives the same value for each: times are generated in every form the
platforms write, near-misses and impossible days included."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kaohe_tui import native
from kaohe_tui.case_times import parse_time
from kaohe_tui.errors import KaoheError

sqlean = pytest.importorskip("sqlean")


@pytest.fixture(scope="module")
def conn():
    c = sqlean.connect(":memory:")
    if not native.load(c):
        pytest.skip("no C compiler here: the bulk path takes kaohe's own form only")
    return c


def careful(text: str, end_of_day: bool) -> str | None:
    try:
        return parse_time(text, "t", end_of_day=end_of_day)
    except KaoheError:
        return None


piece = st.one_of(st.integers(0, 99).map(str), st.integers(0, 99).map(lambda n: f"{n:02d}"))


@st.composite
def spellings(draw):
    y = draw(st.sampled_from(["2018", "2020", "1900", "0000", "9999", "201"]))
    mo, d, h, mi, s = (draw(piece) for _ in range(5))
    sep = draw(st.sampled_from(["-", "/", ".", "-", ":"]))
    sep2 = draw(st.sampled_from([sep, sep, "/"]))
    date = f"{y}{sep}{mo}{sep2}{d}"
    gap = draw(st.sampled_from([" ", "T", "  ", " T", ""]))
    time = draw(st.sampled_from(["", f"{h}:{mi}", f"{h}:{mi}:{s}", f"{h}:{mi}:{s}.{draw(st.integers(0, 10**7))}"]))
    zone = draw(st.sampled_from(["", "", "Z", "+08:00", "-05:30", "+14:00", "+0800", "+8:00"]))
    text = date + (gap + time if time else "") + (zone if time else "")
    compact = f"{y}{mo}{d}{draw(st.sampled_from(['', h + mi, h + mi + s]))}"
    pad = draw(st.sampled_from(["", " ", "\t"]))
    return pad + draw(st.sampled_from([text, compact])) + pad


@settings(max_examples=1000, deadline=None)
@given(text=spellings(), end_of_day=st.booleans())
@example(text="2018-02-29 10:00", end_of_day=False)
@example(text="2018-12-31T23:30:00-01:00", end_of_day=False)  # the next year in China time
@example(text="2018/4/5", end_of_day=True)
def test_the_c_reader_agrees_with_parse_time(conn, text, end_of_day):
    fast = conn.execute("SELECT kaohe_time(?, ?)", [text, end_of_day]).fetchone()[0]
    if fast is not None:  # refusing is always allowed: the careful path then reads the file
        assert fast == careful(text.strip(), end_of_day)


@pytest.mark.parametrize("text, expected", [
    ("2018/4/5 9:03", "2018-04-05 09:03:00"),  # single digits
    ("2018-04-05T09:03:07.123", "2018-04-05 09:03:07"),  # ISO T, a fraction dropped
    ("2018.04.05 09:03", "2018-04-05 09:03:00"),
    ("20180405090307", "2018-04-05 09:03:07"),
    ("2018-04-05T01:03:07Z", "2018-04-05 09:03:07"),  # UTC 01:03 is 09:03 in China
    ("2018-12-31T20:00:00-05:00", "2019-01-01 09:00:00"),  # 01:00 UTC on 1 January, +8 h
])
def test_forms_taken_by_the_c_reader(conn, text, expected):
    assert conn.execute("SELECT kaohe_time(?, 0)", [text]).fetchone()[0] == expected


def test_a_date_alone_ends_its_day_as_a_deadline(conn):
    assert conn.execute("SELECT kaohe_time('2018/4/5', 1), kaohe_time('2018/4/5', 0)").fetchone() == (
        "2018-04-05 23:59:59", "2018-04-05 00:00:00")


def test_odd_spaces_are_every_whitespace_but_the_ascii_space(conn):
    # the careful path strips what str.isspace() calls space; the bulk path must send such a file its way
    spaces = [c for c in map(chr, range(0x3001)) if c.isspace() and c != " "]
    found = [c for c in spaces if conn.execute("SELECT kaohe_odd('甲', ?)", [f"满{c}意"]).fetchone()[0] == 1]
    assert found == spaces
    assert conn.execute("SELECT kaohe_odd('满 意', '甲街道', NULL, '１２３')").fetchone()[0] == 0
