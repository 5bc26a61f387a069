#!/usr/bin/env python3
"""Makes the bad workbooks of Tests/Fixtures/bad/xlsx: each file is named CODE--what.xlsx, and
reading it must fail with the error code `xlsx.CODE` (WorkbookRefusalTests checks every file).

    python3 Tests/Fixtures/bad/xlsx/make-bad.py

Python's standard library only (zipfile, struct, zlib). The files are committed; run this again
only to remake them. Every file is small, even those that declare or inflate to gigabytes.
"""
import io
import os
import struct
import zipfile
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))
STAMP = (2025, 1, 1, 0, 0, 0)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                 '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                 '<Default Extension="xml" ContentType="application/xml"/></Types>')
ROOT_RELS = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
             f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{REL}">'
            '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')


def workbook_rels(sheet_type="worksheet", sheet_target="worksheets/sheet1.xml", shared=True):
    rels = f'<Relationship Id="rId1" Type="{REL}/{sheet_type}" Target="{sheet_target}"/>'
    if shared:
        rels += f'<Relationship Id="rId2" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
    rels += f'<Relationship Id="rId3" Type="{REL}/styles" Target="styles.xml"/>'
    return f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">{rels}</Relationships>'


STYLES = (f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"><numFmts count="1">'
          '<numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
          '<cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="164"/></cellXfs></styleSheet>')


def sst(strings):
    items = "".join(f"<si><t>{s}</t></si>" for s in strings)
    return f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{MAIN}" count="{len(strings)}" uniqueCount="{len(strings)}">{items}</sst>'


def sheet(rows_xml, after=""):
    return f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}"><sheetData>{rows_xml}</sheetData>{after}</worksheet>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def row(number, *cells):
    return f'<row r="{number}">{"".join(cells)}</row>'


PROPOSAL_HEADER = row(1, inline("A1", "项目名称"), inline("B1", "类别"), inline("C1", "建设内容"), inline("D1", "投资估算"), inline("E1", "完成时限"))


def book(sheet_xml, strings=("甲", "乙"), extra=(), workbook=WORKBOOK, rels=None, compress=zipfile.ZIP_DEFLATED):
    """A workbook's bytes; `extra` adds (name, bytes[, ZipInfo tweak]) entries."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        def put(name, data, tweak=None):
            info = zipfile.ZipInfo(name, date_time=STAMP)
            info.compress_type = compress
            if tweak:
                tweak(info)
            z.writestr(info, data)
        put("[Content_Types].xml", CONTENT_TYPES)
        put("_rels/.rels", ROOT_RELS)
        put("xl/workbook.xml", workbook)
        put("xl/_rels/workbook.xml.rels", rels or workbook_rels())
        put("xl/styles.xml", STYLES)
        put("xl/sharedStrings.xml", sst(strings))
        if sheet_xml is not None:
            put("xl/worksheets/sheet1.xml", sheet_xml)
        for item in extra:
            put(*item)
    return out.getvalue()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)
    print(f"{name}: {len(data)} bytes")


def patch_sizes(data, member, uncompressed):
    """Sets `member`'s declared uncompressed size in its local header and central directory entry."""
    buf = bytearray(data)
    name = member.encode()
    # Local header: signature PK\3\4, size at offset 22, name length at 26, name at 30.
    at = 0
    while True:
        at = buf.find(b"PK\x03\x04", at)
        if at < 0:
            break
        n = struct.unpack_from("<H", buf, at + 26)[0]
        if bytes(buf[at + 30:at + 30 + n]) == name:
            struct.pack_into("<I", buf, at + 22, uncompressed)
        at += 4
    # Central directory: signature PK\1\2, size at offset 24, name length at 28, name at 46.
    at = 0
    while True:
        at = buf.find(b"PK\x01\x02", at)
        if at < 0:
            break
        n = struct.unpack_from("<H", buf, at + 28)[0]
        if bytes(buf[at + 46:at + 46 + n]) == name:
            struct.pack_into("<I", buf, at + 24, uncompressed)
        at += 4
    return bytes(buf)


def main():
    good = sheet(row(1, inline("A1", "项目名称"), inline("B1", "类别")) + row(2, inline("A2", "AAAAAAAA"), inline("B2", "住房保障")))

    # The container
    write("not-a-workbook--csv-text.xlsx", "项目名称,类别,建设内容\n老旧小区改造,住房保障,改造\n".encode())
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("[Content_Types].xml", STAMP), CONTENT_TYPES)
        z.writestr(zipfile.ZipInfo("word/document.xml", STAMP), "<document/>")
    write("not-a-workbook--zip-without-workbook.xlsx", out.getvalue())
    write("old-format--fake-wps.et", bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504))
    write("encrypted--ole-with-encrypted-package.xlsx",
          bytes.fromhex("D0CF11E0A1B11AE1") + bytes(504) + "EncryptedPackage".encode("utf-16-le") + bytes(32))
    xlsb_rels = (f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PKG}">'
                 f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="xl/workbook.bin"/></Relationships>')
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        z.writestr(zipfile.ZipInfo("_rels/.rels", STAMP), xlsb_rels)
        z.writestr(zipfile.ZipInfo("xl/workbook.bin", STAMP), bytes(64))
    write("other-format--xlsb.xlsx", out.getvalue())
    valid = book(good)
    write("damaged--truncated.xlsx", valid[: len(valid) * 3 // 5])
    stored = bytearray(book(good, compress=zipfile.ZIP_STORED))
    at = stored.find(b"AAAAAAAA")
    stored[at] = ord("B")  # the XML stays well-formed; only the CRC no longer matches
    write("damaged--crc-mismatch.xlsx", bytes(stored))
    write("too-large--declares-4-gib.xlsx", patch_sizes(book(good), "xl/worksheets/sheet1.xml", 0xFFFFFFF0))
    padding = " " * (20 << 20)  # 20 MiB of spaces, declared as 2,000 bytes
    liar = book(sheet(row(1, inline("A1", "项目名称")) + padding))
    write("too-large--lies-about-its-size.xlsx", patch_sizes(liar, "xl/worksheets/sheet1.xml", 2000))
    write("compression-ratio--16-mib-of-spaces.xlsx", book(sheet(row(1, inline("A1", "项目名称")) + " " * (16 << 20))))
    write("unsafe-path--dot-dot.xlsx", book(good, extra=[("../../outside.txt", b"outside")]))
    write("unsafe-path--absolute.xlsx", book(good, extra=[("/tmp/outside.txt", b"outside")]))

    def symlink(info):
        info.create_system = 3  # Unix
        info.external_attr = (0o120777 << 16)
    write("unsafe-path--symlink.xlsx", book(good, extra=[("xl/media/link", b"/etc/passwd", symlink)]))

    # The XML
    write("bad-xml--mismatched-tags.xlsx", book(sheet('<row r="1"><c r="A1"><v>1</v></row>')))
    laughs = ('<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
              '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
              f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&lol3;</t></is></c></row></sheetData></worksheet>')
    write("bad-xml--billion-laughs.xlsx", book(laughs))
    xxe = ('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
           f'<worksheet xmlns="{MAIN}"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>&e;</t></is></c></row></sheetData></worksheet>')
    write("bad-xml--external-entity.xlsx", book(xxe))
    write("bad-xml--not-utf8.xlsx", book(sheet(row(1, inline("A1", "项目名称"))).encode("utf-8").replace("项目".encode(), b"\xff\xfe")))
    write("too-deep--nested-elements.xlsx", book(f'<worksheet xmlns="{MAIN}">' + "<x>" * 5000 + "</x>" * 5000 + "</worksheet>"))

    # Cells
    write("bad-cell--shared-string-index.xlsx", book(sheet(row(1, '<c r="A1" t="s"><v>7</v></c>'))))
    write("bad-cell--number-is-not-a-number.xlsx", book(sheet(row(1, inline("A1", "项目名称")) + row(2, '<c r="B2"><v>十二</v></c>'))))
    write("bad-cell--reference.xlsx", book(sheet(row(1, '<c r="2B"><v>1</v></c>'))))
    write("bad-cell--cells-out-of-order.xlsx", book(sheet(row(1, '<c r="B1"><v>1</v></c><c r="A1"><v>2</v></c>'))))
    write("bad-cell--rows-out-of-order.xlsx", book(sheet(row(3, '<c r="A3"><v>1</v></c>') + row(2, '<c r="A2"><v>2</v></c>'))))
    write("bad-cell--unknown-type.xlsx", book(sheet(row(1, '<c r="A1" t="q"><v>1</v></c>'))))
    write("cell-too-long--70000-bytes.xlsx", book(sheet(row(1, inline("A1", "项目名称")) + row(2, inline("A2", "长" * 23_500)))))
    write("missing-part--worksheet.xlsx", book(good, rels=workbook_rels(sheet_target="worksheets/sheet9.xml")))
    write("no-sheet--empty-sheet-list.xlsx", book(good, workbook=f'<workbook xmlns="{MAIN}" xmlns:r="{REL}"><sheets/></workbook>'))
    write("not-a-worksheet--chartsheet.xlsx", book(good, rels=workbook_rels(sheet_type="chartsheet")))

    # The table of an import (header: 项目名称, 类别, 建设内容, 投资估算, 完成时限)
    write("error-cell--ref-in-budget.xlsx", book(sheet(PROPOSAL_HEADER + row(
        2, inline("A2", "老旧小区改造"), inline("B2", "住房保障"), inline("C2", "改造"), '<c r="D2" t="e"><f>#REF!+1</f><v>#REF!</v></c>'))))
    write("no-cached-value--formula.xlsx", book(sheet(PROPOSAL_HEADER + row(
        2, inline("A2", "老旧小区改造"), inline("B2", "住房保障"), inline("C2", "改造"), '<c r="D2"><f>SUM(D3:D9)</f></c>'))))
    write("bad-date--lotus-1900-02-29.xlsx", book(sheet(PROPOSAL_HEADER + row(
        2, inline("A2", "老旧小区改造"), inline("B2", "住房保障"), inline("C2", "改造"), '<c r="E2" s="1"><v>60</v></c>'))))
    codes = "".join(row(n, inline(f"A{n}", f"K7QX-{n:04d}-ABCD-EFGH"), inline(f"B{n}", "P1")) for n in range(1, 6))
    write("no-header--codes-without-header.xlsx", book(sheet(codes)))
    two_rows = (row(1, inline("A1", "项目名称"), inline("B1", "投资估算")) + row(2, inline("B2", "其中财政")) +
                row(3, inline("A3", "老旧小区改造"), '<c r="B3"><v>100</v></c>'))
    write("merged-header--two-header-rows.xlsx", book(sheet(two_rows, '<mergeCells count="1"><mergeCell ref="A1:A2"/></mergeCells>')))
    write("cell-without-header--stray-note.xlsx", book(sheet(PROPOSAL_HEADER + row(
        2, inline("A2", "老旧小区改造"), inline("B2", "住房保障"), inline("C2", "改造"), inline("G2", "备注：待核实")))))


if __name__ == "__main__":
    main()
