"""``?``: the keys of the screen you were on, and how the app is laid out."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Static

GUIDE = """\
方案列表 → 回车打开方案；方案内按 1 单位、2 台账、3 结果、4 日志切换，esc 或 q 回到方案列表（方案列表中 q 退出）。
按 / 开始筛选（输入文字，回车回到表格），esc 清除筛选；表格中的字母都是命令键。台账与结果用 [ ] 切换期间。
结果中回车看解释；解释里在“数字城管案件统计”一行回车，列出它所计的每一件案件。
i 导入文件（台账记录、平台案件、单位名单；案件文件为 UTF-8、时间写作 YYYY-MM-DD HH:MM:SS 时最快，否则逐行检查）；\
ctrl+e 导出当前方案的结果；ctrl+p 打开命令面板，可搜索当前页面的所有操作。"""


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "关闭")]

    def __init__(self, keys: list[tuple[str, str]], where: str, db_path: str = ""):
        super().__init__()
        self.keys = keys
        self.where = where
        self.db_path = db_path

    def compose(self) -> ComposeResult:
        # rich Text rather than markup: a key may be "[" or "]"
        text = Text.assemble((f"帮助 · {self.where}", "bold"), "\n\n", GUIDE, "\n\n", ("本页按键", "bold"))
        for key, description in self.keys:
            text.append("\n")
            text.append(f"{key:>10}", style="bold")
            text.append(f"  {description}")
        if self.db_path:
            text.append(f"\n\n数据库：{self.db_path}")
        with VerticalScroll(classes="dialog help-dialog"):
            yield Static(text, id="help-text")
        yield Footer(compact=True)
