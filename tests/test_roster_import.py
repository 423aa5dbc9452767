"""The 附件2 roster imported from a spreadsheet (a plugin's import format), all or nothing."""

import sqlite3

ROSTER = ("单位,角色,姓名,职务,手机,办公电话,QQ,报送日期,盖章\n"
          "民政局,分管领导,张三,副局长,13800000000,051986000000,12345,2017-04-03,是\n"
          "民政局,联络员,李四,科员,13900000000,,,2017-04-03,是\n"
          "侨办(侨联),联络员,王五,科员,13700000000,,,,\n")


def people(db):
    with sqlite3.connect(db) as conn:
        return sorted(conn.execute("SELECT unit, role, name FROM district_categories_roster").fetchall())


def test_roster_import_detected_and_all_or_nothing(kaohe, tmp_path):
    good = tmp_path / "roster.csv"
    good.write_text(ROSTER, encoding="gbk")
    assert "名单：已导入3人，报送表2份" in kaohe.run("import", "district-categories", str(good)).stdout
    # the unit as attachment 1 writes it (half-width brackets), whichever form the file used
    assert people(kaohe.db) == [
        ("侨办(侨联)", "联络员", "王五"),
        ("民政局", "分管领导", "张三"),
        ("民政局", "联络员", "李四"),
    ]
    bad = tmp_path / "bad.csv"
    bad.write_text("单位,角色,姓名,手机\n民政局,联络员,赵六,abc\n不存在局,联络员,钱七,13800000000\n", encoding="utf-8")
    proc = kaohe.run("import", "district-categories", str(bad), "--kind", "roster", ok=False)
    assert "第2行：手机：“abc”不是电话号码" in proc.stderr
    assert "第3行：单位：“不存在局”不是本方案的单位" in proc.stderr
    assert people(kaohe.db)[2] == ("民政局", "联络员", "李四")  # unchanged: 赵六 was not kept
    rota = kaohe.run("import", "district-categories", str(bad), "--kind", "rota", ok=False)
    assert "--kind rota：应为以下之一：" in rota.stderr
