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
    # -- an office's years, parameters and target lists (kaohe scheme …, scheme_years, scheme_params) --
    "year_format": "“{text}”：请写年份，如 2019",
    "not_a_year": "年份：{year} 不是年份（写作 2019）",
    "no_such_year": "年份：{scheme} 没有{year}年（已有：{years}）；先开始这一年：kaohe scheme new-year {scheme} {year}",
    "year_is_document": "年份：{scheme} {year}年是文件本身的年份；调整参数用 kaohe scheme set",
    "year_started_already": "年份：{scheme} {year}年已经开始；调整参数用 kaohe scheme set",
    "no_year_before": "年份：{scheme} 在{year}年之前没有可沿用的年份（已有：{years}）",
    "new_year_reason": "开始{year}年",
    "carried_from": "沿用{year}年",
    "new_year_started": "已开始 {scheme} {year}年（沿用{source}年）：{units}个单位，{parameters}个调整过的参数，"
                        "{targets}项目标责任书",
    "param_changed": "{year}年已调整：{param}：{old} → {new}",
    "param_signed_keep": "已签发关闭的 {periods} 仍按签发时的版本计分",
    "rules_changed": "{year}年调整（第{version}版）：{param}：{old} → {new}  {how}（{by} {at}）",
    "no_targets": "{scheme} {year}年没有目标责任书{unit}（导入：kaohe import {scheme} 文件 --kind targets --period {year}）",
    "param_not_category_tree": "{param}：“{category}”不是有自己指标的类别",
    "param_in_two_trees": "{param}：{path} 在不止一个类别的指标中，请在前面写明类别，可选：{names}",
    "param_not_a_path": "{param}：“{path}”不是 {scheme} 的指标路径（见 kaohe scheme params）",
    "param_not_a_category": "{param}：“{category}”不是 {scheme} 的类别",
    "param_bad_key": "{param}：不是参数的写法（见 kaohe scheme params {scheme}）",
    "param_no_such": "{param}：没有参数 {name}",
    "param_not_a_clause": "{param}：“{clause}”不是这里的条款（条款：{ids}）",
    "param_no_value": "{param}：请写出数值",
    "param_not_a_number": "{param}：“{text}”不是数字",
    "param_not_a_list": "{param}：“{text}”：请写一组数字，如 [0, 0.1]",
    "param_not_finite": "{param}：“{text}”不是有限的数",
    "param_negative": "{param}：“{text}”：负值会改变规则的含义",
    "param_pair": "“{pair}”：请写成 参数=值（见 kaohe scheme params）",
    "param_two_categories": "{param}：不止一个类别有这个参数，请写其中之一：{keys}",
    "param_document_units": "{param}：文件年份的单位按文件，不能调整；先开始新的一年（kaohe scheme new-year）"
                            "或导入单位（kaohe import --kind units）",
    "param_not_of_scheme": "{param}：不是 {scheme} 的参数（见 kaohe scheme params {scheme}）",
    "param_twice": "{param}：写了两次",
    "param_lint": "检查未通过：{error}{more}；未作任何修改——请把各项和它们的合计一起修改",
    "param_lint_more": "（另有{n}条）",
    "param_needs_reason": "事由：调整参数须写明事由",
    "param_none_given": "请至少写一项 参数=值（见 kaohe scheme params）",
    "param_nothing_to_change": "无需调整：各值已是如此",
    "targets_need_year": "{scheme}：请用 --period 写明年份",
    "targets_missing_column": "{path}：缺少列 {columns}",
    "targets_no_item_indicator": "{column}：{unit} 没有按项目计分的指标",
    "targets_not_one_of": "{column}：“{text}”不是其中之一：{options}",
    "targets_not_a_number": "{column}：“{text}”不是数字",
    "targets_number_from_1": "{column}：{number}——序号从1开始",
    "targets_points": "{column}：“{text}”须为不小于0的数",
    "targets_empty": "{column}：为空",
    "targets_twice": "{column}：{unit}的第{number}项已在第{first}行",
    "targets_sum_reason": "{unit} {indicator}：各项合计{total}分，该指标{declared}分",
    "targets_none": "{path}：没有项目",
    "targets_imported": "目标责任书：{year}年{lists}个单位共{items}项",
    "rename_recorded": "{path}：{new}：{former} {year}年已有{n}条记录；改名或合并从下一年起生效（kaohe scheme new-year）",
    # -- kaohe lint: a scheme's declared points against its parts -----------------------------------
    "lint_finding": "{level}：{where}：{message}",
    "lint_top_level": "顶层指标{label}合计{declared}分，方案满分{full}分",
    "lint_per_cadence": "（按{kind}计分）",
    "lint_children": "下级合计{parts}分，本项{declared}分",
    "lint_undefined": "声明{points}分，文件未规定怎样计分",
    "lint_weighted": "加权合成的指标须有分值",
    "lint_scheme_undefined": "声明{full}分，规定了{defined}分：{undefined}分未规定",
    "lint_anomaly": "第{row}行，{field}：{message}",
    "nothing_imported": "{path}：未导入任何内容",
    # -- a refused row of a platform case file (case_import, numbers.parse_count, case_times) ---------
    "case_empty_id": "{column}：案件编号为空",
    "case_id_long": "{column}：案件编号有{length}个字符，太长",
    "case_twice": "{column}：案件 {case} 在文件前面已出现",
    "case_in_closed": "{column}：{time} 落在已签发关闭的 {period} 内，须由管理员先重新开启",
    "case_outside": "{column}：{time} 不在本方案的任何考核期间内",
    "case_before": "{column}：{time} 早于{other} {first}",
    "case_answer": "{column}：“{answer}”不是已知的回访结果（满意：{satisfied}；不满意：{unsatisfied}；"
                   "未回访：{not_visited}或留空）",
    "case_counted_closed": "案件 {case} 已计入 {period}，该期间已签发关闭，须由管理员先重新开启",
    "count_whole": "{field}：“{raw}”须为不小于0的整数",
    "not_a_datetime": "{column}：“{raw}”不是日期时间（YYYY-MM-DD HH:MM[:SS]）",
    # -- a refused row of a file (row_errors.RowError, io.tabular) -----------------------------------
    "row_where": "第{row}行",
    "row_column": "第{row}行，{column}列",
    "row_error": "{file}：{where}：{reason}",
    "file_error": "{file}：{reason}",
    "row_cells": "{cells}个单元格，表头只有{width}列",
    "row_encoding": "第{row}行之后：不是 UTF-8/GBK 文本（编码混用？）",
    "row_formula": "公式（{raw}）没有计算结果；请用 Excel 或 WPS 打开并保存该文件后再导入",
    "row_duplicate": "重复：同一条记录已在台账中（{where}）",
    "row_closed_meanwhile": "{error}（读文件期间该期间已签发关闭）；未导入任何内容",
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

LINT_LEVELS = {"error": "错误", "warning": "提示", "undefined": "未定义"}
CADENCES = {"month": "月", "quarter": "季度", "year": "年度"}

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
    "Do you want to quit?": "要退出吗？", "Press [b]{param}[/b] to quit the app": "按 [b]{param}[/b] 退出",
}


def t(key: str, **params) -> str:
    return MESSAGES[key].format(**params)


def field(name: str) -> str:
    return FIELDS.get(name, name)
