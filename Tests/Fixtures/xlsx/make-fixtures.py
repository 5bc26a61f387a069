#!/usr/bin/env python3
"""Makes the workbook fixtures of Tests/Fixtures/xlsx (see README.md there for each file).

    python3 Tests/Fixtures/xlsx/make-fixtures.py            # openpyxl files, then LibreOffice ones
    python3 Tests/Fixtures/xlsx/make-fixtures.py --no-soffice

Needs openpyxl (PyPI) and, for the LibreOffice files, `soffice` (Debian's libreoffice-calc) and
msoffcrypto-tool (PyPI) for the encrypted one. The outputs are committed, so the tests need none
of these; run this again only to remake a fixture, and say so in the commit.
"""
import datetime
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont
from openpyxl.styles import Font
from openpyxl.utils.datetime import CALENDAR_MAC_1904

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXED = datetime.datetime(2025, 1, 1, 0, 0, 0)


def new_workbook():
    wb = openpyxl.Workbook()
    wb.properties.created = FIXED
    wb.properties.modified = FIXED
    wb.properties.creator = "make-fixtures.py"
    return wb


def save(wb, name):
    path = os.path.join(HERE, name)
    wb.save(path)
    print("wrote", name)
    return path


def types():
    """Every cell type, one per row: label in A, value in B (see TypesFixtureTests)."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "类型 Types"
    ws.append(["标签 label", "值 value"])
    rows = [
        ("text", "城东片区老旧小区改造", None),
        ("integer", 42, None),
        ("decimal", 6513.3, None),
        ("float-artifact", 0.1 + 0.2, None),
        ("large-integer", 123456789012345678, None),
        ("negative", -5, None),
        ("number-as-text", "6513.3", None),
        ("true", True, None),
        ("false", False, None),
        ("date", datetime.date(2025, 11, 30), "yyyy-mm-dd"),
        ("datetime", datetime.datetime(2025, 11, 30, 8, 30), "yyyy-mm-dd hh:mm"),
        ("time", datetime.time(8, 30, 15), "hh:mm:ss"),
        ("year-month", datetime.date(2025, 11, 1), 'yyyy"年"m"月"'),
        ("chinese-date", datetime.date(2025, 12, 31), 'yyyy"年"m"月"d"日"'),
        ("serial-1", datetime.date(1900, 1, 1), "yyyy-mm-dd"),
        ("serial-59", datetime.date(1900, 2, 28), "yyyy-mm-dd"),
        ("serial-61", datetime.date(1900, 3, 1), "yyyy-mm-dd"),
        ("error", "#N/A", "error"),
        ("formula-looking-text", "=SUM(B2:B3)", "text"),
        ("formula-without-value", "=1+2", None),
        ("newline", "第一行\n第二行", None),
        ("spaces", "  leading and trailing  ", None),
        ("rich-text", CellRichText(["普通", TextBlock(InlineFont(b=True), "加粗"), " 结尾"]), None),
        ("emoji", "好 👍", None),
        ("leading-zero", "0012", None),
        ("percent", 0.976, "0.0%"),
        ("amount-format", 1200000, "#,##0"),
    ]
    for label, value, fmt in rows:
        ws.append([label, None])
        cell = ws.cell(row=ws.max_row, column=2)
        if fmt == "error":
            cell.value = value
            cell.data_type = "e"
        elif fmt == "text":
            cell.value = value
            cell.data_type = "s"
        else:
            cell.value = value
            if fmt:
                cell.number_format = fmt
    # A gap of empty rows, a row after it, and styled empty cells far away (empty trailing rows
    # and columns that a reader must ignore).
    ws.cell(row=40, column=1, value="after-gap")
    ws.cell(row=40, column=2, value="还在 still here")
    ws.cell(row=60, column=8).font = Font(bold=True)
    ws.cell(row=61, column=1).font = Font(bold=True)
    return save(wb, "openpyxl-types.xlsx")


def epoch1904():
    wb = new_workbook()
    wb.epoch = CALENDAR_MAC_1904
    ws = wb.active
    ws.title = "1904"
    ws.append(["标签 label", "值 value"])
    for label, value in [("date", datetime.date(2025, 11, 30)), ("epoch", datetime.date(1904, 1, 1)),
                         ("epoch+1", datetime.date(1904, 1, 2)), ("datetime", datetime.datetime(2025, 11, 30, 8, 30))]:
        ws.append([label, value])
        ws.cell(row=ws.max_row, column=2).number_format = "yyyy-mm-dd hh:mm" if label == "datetime" else "yyyy-mm-dd"
    return save(wb, "openpyxl-1904.xlsx")


def titled():
    """A 征集汇总表 as county offices make them: a merged title row, a note row with the unit, the
    header with a 序号 column and a 万元 column, a merged 类别 cell, an empty row, dates, a 合计 row."""
    wb = new_workbook()
    ws = wb.active
    ws.title = "征集汇总"
    ws.append(["2025年民生实事候选项目征集汇总表"])
    ws.merge_cells("A1:H1")
    ws.append(["填报单位：城关镇人民政府", None, None, None, None, None, "单位：万元"])
    ws.merge_cells("A2:D2")
    ws.append(["序号", "项目名称", "类别", "项目内容", "建设地点", "投资估算\n（万元）", "完成时限", "责任单位"])
    data = [
        (1, "城东片区老旧小区改造", "住房保障", "改造6个老旧小区，加装电梯12部", "城东街道", 2860, datetime.date(2025, 11, 30), "县住房和城乡建设局"),
        (2, "保障性租赁住房", None, "新建保障性租赁住房300套", "城西新区", 4200.5, datetime.date(2025, 12, 31), "县住房和城乡建设局"),
        (3, "乡镇卫生院提档升级", "医疗卫生", "3所卫生院改造门诊和住院楼", "桃源镇、白沙镇", "1450", "2025年12月底", "县卫生健康局"),
        (4, "农村公路提升改造", "公共交通", "提升改造农村公路86公里", "青山乡", 6513.3, datetime.date(2025, 10, 31), "县交通运输局"),
    ]
    for row in data:
        ws.append(list(row))
    ws.merge_cells("C4:C5")  # 住房保障 for both housing projects
    ws.append([])  # an empty row inside the table
    ws.append([5, "中小学校园食堂改造", "科技教育", "改造12所中小学食堂", "全县", 980, datetime.date(2025, 8, 31), "县教育体育局"])
    ws.append(["合计", None, None, None, None, "=SUM(F4:F9)"])  # row 10
    ws.merge_cells("A10:E10")
    for row in ws.iter_rows(min_row=4, max_row=10, min_col=7, max_col=7):
        for cell in row:
            if isinstance(cell.value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
    for cell in ws[3]:
        cell.font = Font(bold=True)
    ws.cell(row=30, column=8).font = Font(bold=True)  # a styled empty cell far below
    return save(wb, "openpyxl-titled.xlsx")


def sheets():
    wb = new_workbook()
    notes = wb.active
    notes.title = "说明"
    notes.append(["本工作簿第一页是说明，已隐藏。"])
    notes.sheet_state = "hidden"
    roster = wb.create_sheet("代表名册")
    roster.append(["编号", "姓名", "代表团"])
    roster.append(["D001", "孙晓燕", "城关镇代表团"])
    roster.append(["D002", "周明亮", "城关镇代表团"])
    third = wb.create_sheet("第三页 & more")
    third.append(["id", "name"])
    third.append(["D009", "王强"])
    return save(wb, "openpyxl-sheets.xlsx")


def absolute_prefixed(source):
    """openpyxl-types.xlsx rewritten: every relationship target absolute (/xl/...), the
    worksheet's elements under an `x:` namespace prefix instead of the default namespace."""
    out = os.path.join(HERE, "openpyxl-absolute-prefixed.xlsx")
    with zipfile.ZipFile(source) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            if item.filename == "xl/_rels/workbook.xml.rels":
                data = re.sub(rb'Target="(?!/)([^"]+)"', rb'Target="/xl/\1"', data)
            elif item.filename == "_rels/.rels":
                data = re.sub(rb'Target="(?!/)([^"]+)"', rb'Target="/\1"', data)
            elif item.filename.startswith("xl/worksheets/sheet"):
                text = data.decode("utf-8")
                text = text.replace('xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"',
                                    'xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"')
                text = re.sub(r"<(/?)(?!\?)([A-Za-z][A-Za-z0-9]*)", r"<\1x:\2", text)
                data = text.encode("utf-8")
            info = zipfile.ZipInfo(item.filename, date_time=(2025, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zout.writestr(info, data)
    print("wrote", os.path.basename(out))


def soffice(args, cwd):
    subprocess.run(["soffice", "--headless", "--norestore"] + args, cwd=cwd, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def libreoffice(titled_path, types_path):
    work = tempfile.mkdtemp(prefix="lo-fixtures-")
    try:
        csv_filter = "CSV:44,34,76,1,,,false,true"  # comma, quote, UTF-8, from line 1, detect dates
        for name in ["deputies.csv", "proposals.csv"]:
            shutil.copy(os.path.join(ROOT, "Config", "demo", name), work)
        soffice(["--infilter=" + csv_filter, "--convert-to", "xlsx", "--outdir", "out",
                 "deputies.csv", "proposals.csv"], work)
        soffice(["--infilter=" + csv_filter, "--convert-to", "xls", "--outdir", "out", "deputies.csv"], work)
        soffice(["--infilter=" + csv_filter, "--convert-to", "ods", "--outdir", "out", "proposals.csv"], work)
        shutil.copy(titled_path, os.path.join(work, "titled.xlsx"))
        shutil.copy(types_path, os.path.join(work, "types.xlsx"))
        soffice(["--convert-to", "xlsx", "--outdir", "resaved", "titled.xlsx", "types.xlsx"], work)
        for src, dst in [("out/deputies.xlsx", "libreoffice-deputies.xlsx"), ("out/proposals.xlsx", "libreoffice-proposals.xlsx"),
                         ("out/deputies.xls", "libreoffice-deputies.xls"), ("out/proposals.ods", "libreoffice-proposals.ods"),
                         ("resaved/titled.xlsx", "libreoffice-titled.xlsx"), ("resaved/types.xlsx", "libreoffice-types.xlsx")]:
            shutil.copy(os.path.join(work, src), os.path.join(HERE, dst))
            print("wrote", dst)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def encrypted():
    import msoffcrypto
    from msoffcrypto.format.ooxml import OOXMLFile
    source = os.path.join(HERE, "libreoffice-deputies.xlsx")
    with open(source, "rb") as f:
        plain = OOXMLFile(f)
        out = io.BytesIO()
        plain.encrypt("piaojue", out)
    with open(os.path.join(HERE, "encrypted-deputies.xlsx"), "wb") as f:
        f.write(out.getvalue())
    print("wrote encrypted-deputies.xlsx")


if __name__ == "__main__":
    types_path = types()
    epoch1904()
    titled_path = titled()
    sheets()
    absolute_prefixed(types_path)
    if "--no-soffice" not in sys.argv:
        libreoffice(titled_path, types_path)
        encrypted()
