"""The message catalogue: every user-facing sentence of the record checks, the TUI and the Chinese
names of Textual's own strings, in one place, so a clerk reads one language and the next engineer
changes a wording once. ``t("key", **params)`` formats one entry."""

from __future__ import annotations

# the fields of a record, as the form labels them (a message names the field first: "条款：…")
FIELDS = {"unit": "单位", "period": "期间", "indicator": "指标", "clause": "条款", "reason": "事由",
          "date": "日期", "count": "次数", "amount": "分值", "value": "数值", "attrs": "属性", "record": "记录"}

MESSAGES = {
    # -- checks of a record (ledger.check_record and friends) -------------------------------------
    "control_chars": "{field}：含控制字符",
    "too_long": "{field}：{length}个字符，最多{limit}个",
    "not_a_number": "{field}：“{raw}”不是数字",
    "out_of_range": "{field}：“{raw}”超出范围（绝对值至多 {limit}）",
    "not_whole": "{field}：“{raw}”须为不小于0的整数",
    "unknown_clause": "条款：“{clause}”不是「{path}」的条款（可选：{ids}）",
    "needs_clause": "条款：「{path}」须注明条款（可选：{ids}）",
    "date_outside": "日期：{day} 不在期间 {period}（{start} 至 {end}）内",
    "needs_reason": "事由：每条记录都须写明事由",
    "unknown_period": "期间：{period} 不是本方案的考核期间（{periods}）",
    "period_closed": "期间：{period} 已签发关闭，须由管理员先重新开启",
    "date_in_closed": "日期：{date} 落在已签发关闭的 {closed} 内，须由管理员先重新开启",
    "period_in_closed": "期间：{period} 在已签发关闭的 {closed} 内，须由管理员先重新开启",
    "period_overlaps_closed": "期间：{period} 与已签发关闭的 {closed} 重叠，须由管理员先重新开启",
    "bad_indicator": "指标：{error}",
    "unknown_indicator": "“{text}”不是本方案的指标（见 kaohe rules）",
    "ambiguous_indicator": "“{text}”不止一个指标叫这个名字：请写出路径，可选：{options}",
    "composite_indicator": "指标：「{path}」由其下各项合成（{leaves}），请记在其中一项上",
    "amount_needed": "分值：条款「{clause}」（{id}）须写分值，在{low}至{high}之间（--amount）",
    "amount_outside": "分值：{amount} 超出条款「{clause}」（{id}）的范围 {low}–{high}",
    "count_negative": "次数：须为不小于0的整数",
    "value_needed": "数值：评分须写数值（--value）",
    "value_outside": "数值：{value} 超出 0–{top}",
    "item_points_needed": "分值：须写该项的分值（--amount）",
    "item_points_negative": "分值：该项的分值不能为负",
    "item_points_over": "分值：一个项目{amount}分，超过{name}的分值{points}分",
    "bonus_needed": "分值：加分须写批准的分值（--amount）",
    "bonus_negative": "分值：加分不能为负",
    "not_a_unit": "{field}：“{text}”不是本方案的单位{hint}",
    # -- units (kaohe units --retire) --------------------------------------------------------------
    "unit_already_retired": "单位：{unit} 已于 {at} 退出排名",
    "unit_retired": "{unit} 已退出排名：不再参加排名和末位等后果，记录保留",
    # -- one figure per input (inputs.py): a second value replaces the first only when said so -------
    "second_figure": "{field}：{unit} 的 {indicator} {period} 已有数值{figure}（{where}）；"
                     "要以新数值替换它请加 --supersede（原记录保留在台账和说明中）",
    "second_figure_row": "{path}: 第{row}行 {message}",
    "supersede_question": "{unit} 的 {indicator} {period} 已有数值{figure}（{where}）。\n"
                          "以新数值替换它吗？（原记录保留在台账和说明中，新数值计分）",
    "nothing_to_supersede": "--supersede：{unit} 的 {indicator} {period} 没有可替换的数值",
    # -- what an action did (kaohe_tui.actions; the CLI and the TUI say the same) --------------------
    "import_records_done": "已导入{imported}条记录",
    "import_cases_done": "已导入{imported}个案件",
    "import_cases_updated": "；更新{updated}个，未变{unchanged}个",
    "import_cases_unchanged": "；未变{unchanged}个",
    "import_skipped": "；{rejected}行无效已跳过，见 {rejects_file}",
    "import_units_done": "单位：新增{added}个，更新{updated}个",
    "import_units_replaced": "，替换示例单位{replaced}个",
    "import_units_renamed": "，改名或合并{renamed}个",
    "import_rejected": "{rejected}行无效，未导入任何{what}",
    "import_skip_hint_cli": "（加 --skip-invalid 导入其余各行，无效行写入旁边的 .rejected.csv）",
    "import_skip_hint_tui": "（勾选“跳过无效行”可导入其余各行）",
    "import_more_rejected": "…另有{more}行无效",
    "import_row_by_row": "逐行读取 {file}（快速路径只接受 UTF-8 且时间写作 YYYY-MM-DD HH:MM:SS 的文件），大文件较慢",
    "case_profile": "导入配置：{profile}",
    "case_ignored": "未使用的列：{columns}",
    "plugin_import_done": "{summary}",
    "note": "{text}",
    "sample_title": "{title}（示例单位）",
    "sample_unit": "{name}（示例）",
    # -- the TUI -----------------------------------------------------------------------------------
    "choose": "请选择{what}",
    "needs_correction_reason": "更正原因：请填写更正原因",
    "export_exists": "文件已存在：{path}\n覆盖它吗？",
    "export_folder_note": "相对路径写到：{folder}；回车或 ctrl+s 导出",
    "export_no_folder": "{path}：文件夹 {folder} 不存在",
    "export_done": "已导出{count}个单位的结果：{path}",
    "discard_form": "表单有未保存的内容，放弃它吗？",
    "quit_with_form": "表单有未保存的内容，放弃它并退出吗？",
    "no_export_target": "先选择一个方案，再按 ctrl+e 导出它的结果",
    "upstream_error": "界面出了点小问题（已忽略，数据未受影响）：{error}",
}

# Textual's own strings a user can see (footer, help, palette), by their English text
TEXTUAL = {
    "Dismiss menu": "关闭菜单", "Exit the command palette": "关闭命令面板", "Show menu": "展开菜单",
    "Quit": "退出", "Select": "选中", "Toggle": "切换", "Press button": "按下按钮", "Submit": "提交",
    "Cursor up": "上移", "Cursor down": "下移", "Cursor left": "左移", "Cursor right": "右移",
    "Cursor Up": "上移", "Cursor Down": "下移", "Up": "上移", "Down": "下移",
    "Page up": "上一页", "Page down": "下一页", "Page Up": "上一页", "Page Down": "下一页",
    "Page Left": "左翻页", "Page Right": "右翻页", "Top": "顶部", "Bottom": "底部", "Home": "行首", "End": "行尾",
    "First": "第一项", "Last": "最后一项", "Go to top": "第一项", "Go to bottom": "最后一项",
    "Next command": "下一条命令", "Previous command": "上一条命令", "Next page": "下一页", "Previous page": "上一页",
    "Scroll Up": "向上滚动", "Scroll Down": "向下滚动", "Scroll Left": "向左滚动", "Scroll Right": "向右滚动",
    "Scroll Home": "滚到顶部", "Scroll End": "滚到底部", "Focus Next": "下一个控件", "Focus Previous": "上一个控件",
    "Cursor to parent": "到上一级", "Cursor to next sibling": "到下一个同级", "Cursor to previous sibling": "到上一个同级",
    "Cursor to next ancestor": "到上级的下一项", "Expand or collapse all": "全部展开/收起",
    "Copy selected text": "复制所选文字", "Cut selected text": "剪切所选文字", "Paste text from the clipboard": "粘贴",
    "Select all": "全选", "Select line start": "选到行首", "Select line end": "选到行尾",
    "Go to start": "到行首", "Go to end": "到行尾", "Move cursor left": "光标左移", "Move cursor right": "光标右移",
    "Move cursor left a word": "左移一词", "Move cursor right a word": "右移一词",
    "Move cursor left and select": "左移并选择", "Move cursor right and select": "右移并选择",
    "Move cursor left a word and select": "左移一词并选择", "Move cursor right a word and select": "右移一词并选择",
    "Move cursor right or accept the completion suggestion": "光标右移或接受补全",
    "Delete character left": "删除左侧字符", "Delete character right": "删除右侧字符",
    "Delete left to start of word": "向左删除一词", "Delete right to start of word": "向右删除一词",
    "Delete all to the left": "删除左侧全部", "Delete all to the right": "删除右侧全部",
    # not bindings: the palette's placeholder and empty result, ctrl+c's hint
    "Search for commands…": "搜索命令…", "No matches found": "没有匹配的命令",
    "Do you want to quit?": "要退出吗？", "Press [b]{key}[/b] to quit the app": "按 [b]{key}[/b] 退出",
}


def t(key: str, **params) -> str:
    return MESSAGES[key].format(**params)


def field(name: str) -> str:
    return FIELDS.get(name, name)
