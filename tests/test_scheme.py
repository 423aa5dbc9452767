"""Scheme files: bad ones give a message naming the file and the field; saving round-trips."""

from pathlib import Path

import pytest

from kaohe_tui.errors import SchemeError
from kaohe_tui.names import norm
from kaohe_tui.periods import Period
from kaohe_tui.scheme import Scheme, UnitSource, read_unit_source, resolve_indicator, save_scheme
from kaohe_tui.scheme_files import load_scheme

FIXTURE = Path(__file__).parent / "fixtures" / "core_plugin" / "fixture.toml"


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "s.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            'id = "x"\ntitle = "t"\n[[indicators]]\nname = "a"\npoints = "ten"\n',
            "s.toml：indicators[0].points：应为数字",
        ),
        (
            'id = "x"\ntitle = "t"\n[[indicators]]\nname = "a"\npionts = 3\n',
            "s.toml：indicators[0].pionts：不认识的键（拼错了？）",
        ),
        ('id = "x"\n', "s.toml：title：缺少必填项"),
        (
            'id = "x"\ntitle = "t"\n[[indicators]]\nname = "a"\npoints = 1\nrule = "nope"\n',
            "s.toml：指标 a：rule：“nope”不是已知的计分规则",
        ),
        (
            'id = "x"\ntitle = "t"\n[[indicators]]\nname = "a"\npoints = 1\nrule = "rank_bands"\n',
            "s.toml：指标 a：params.bands：缺少必填项",
        ),
        (
            'id = "x"\ntitle = "t"\n[[indicators]]\nname = "a"\npoints = 1\nclauses = []\n',
            "s.toml：指标 a：须至少有一个条款（clauses）",
        ),
        ('id = "x"\ntitle = [\n', "s.toml：不是有效的 TOML 写法（检查引号、方括号和等号是否成对、写全；"
                                 "文件在结尾处不完整）"),
        (
            'id = "x"\ntitle = "t"\n[[units]]\nname = "a"\ncategory = "第九类"\n',
            "s.toml：units[0]（a）：category：“第九类”不是本方案的类别",
        ),
    ],
)
def test_bad_scheme_named_file_and_field(tmp_path, text, expected):
    path = write(tmp_path, text)
    with pytest.raises(SchemeError) as err:
        load_scheme(path)
    assert str(err.value) == f"{tmp_path}/{expected}"


def test_not_utf8(tmp_path):
    path = tmp_path / "gbk.toml"
    path.write_bytes('title = "测试"'.encode("gbk"))
    with pytest.raises(SchemeError, match="gbk.toml：不是 UTF-8 文本（第10字节）；请另存为 UTF-8"):
        load_scheme(path)


def test_save_round_trip(tmp_path):
    scheme = load_scheme(FIXTURE)
    next_year = scheme.model_copy(update={"id": "fixture-2019", "periods": ["2019"]})
    save_scheme(next_year, tmp_path / "next.toml")
    again = load_scheme(tmp_path / "next.toml")
    assert again.id == "fixture-2019" and again.periods == ["2019"]
    assert again.model_dump(exclude={"id", "periods", "plugin"}) == scheme.model_dump(
        exclude={"id", "periods", "plugin"}
    )


def test_resolve_indicator_by_path_name_and_ambiguity():
    scheme = Scheme.model_validate(
        {
            "id": "x",
            "title": "t",
            "indicators": [
                {
                    "name": "二",
                    "points": 7,
                    "children": [{"name": "责任倒查", "points": 7, "clauses": [{"id": "a", "text": "a", "per": 1}]}],
                },
                {
                    "name": "三",
                    "points": 6,
                    "children": [{"name": "责任倒查", "points": 6, "clauses": [{"id": "a", "text": "a", "per": 1}]}],
                },
            ],
        }
    )
    path, node = resolve_indicator(scheme.indicators, "三/责任倒查")
    assert (path, node.points) == ("三/责任倒查", 6)
    with pytest.raises(Exception, match="不止一个指标叫这个名字：请写出路径，可选：二/责任倒查、三/责任倒查"):
        resolve_indicator(scheme.indicators, "责任倒查")


def test_names_match_after_nfkc():
    assert norm("侨办(侨联) ") == norm("侨办（侨联）") == "侨办(侨联)"
    assert norm("城建监察大队\n（法规科）") == "城建监察大队(法规科)"


def test_unit_source_reports_anomalies(tmp_path):
    (tmp_path / "u.csv").write_text(
        "序号,单位,社区\n1,甲,东新社区\n1,乙(丙) ,东新社区\n3,甲,西社区\n4,,x\n", encoding="utf-8"
    )
    units, anomalies = read_unit_source(
        UnitSource(file="u.csv", name="单位", attrs={"社区": "社区"}, unique=["序号", "社区"]), tmp_path
    )
    assert [u.name for u in units] == ["甲", "乙(丙)"]
    messages = [str(a) for a in anomalies]
    assert "u.csv：第2行，序号：1 与第1行重复" in messages
    assert "u.csv：第2行，社区：东新社区 与第1行重复" in messages
    assert "u.csv：第3行，单位：甲 已列在第1行：跳过此行" in messages
    assert "u.csv：第4行，单位：单位名为空：跳过此行" in messages
    assert "u.csv：第2行，单位：“乙(丙) ”首尾有空格、用了半角括号（中文应为全角）；按“乙(丙)”匹配" in messages


@pytest.mark.parametrize("text,kind,first,last", [
    ("2018", "year", "2018-01-01", "2018-12-31"),
    ("2018Q2", "quarter", "2018-04-01", "2018-06-30"),
    ("2018q4", "quarter", "2018-10-01", "2018-12-31"),
    ("2018-02", "month", "2018-02-01", "2018-02-28"),
])
def test_periods(text, kind, first, last):
    p = Period.parse(text)
    assert (p.kind, str(p.start), str(p.end)) == (kind, first, last)
    assert Period.parse("2018").contains(p)


def test_year_holds_its_quarters_and_months():
    year = Period.parse("2018")
    assert [str(q) for q in Period.parse("2018Q3").quarters()] == ["2018Q1", "2018Q2", "2018Q3"]
    assert {"2018", "2018Q1", "2018-12"} <= {str(p) for p in year.sub_periods()}
    assert not Period.parse("2018Q1").contains(Period.parse("2018-04"))
