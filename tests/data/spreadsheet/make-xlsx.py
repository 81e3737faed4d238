#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""Writes the XLSX workbooks of the spreadsheet tests with nothing but the standard library.

  make-xlsx.py [DIRECTORY]     (default: the directory of this script)

clients.xlsx   the minimal OOXML parts an export has, written by hand so that each case the
               reader must handle is there on purpose:
  - the first sheet in xl/workbook.xml is "Clientes", stored as xl/worksheets/clientes.xml
    and found through xl/_rels/workbook.xml.rels; a decoy sheet1.xml is the second sheet
  - xl/sharedStrings.xml with a plain entry, a rich-text entry (runs "Nom" + "bre") and an
    entry with a phonetic run (<rPh>) that is not part of the text
  - xl/styles.xml with <cellStyleXfs> (not cell styles: must not shift the indices), a
    built-in date (14), a custom date-time "dd/mm/yyyy hh:mm", a built-in time (20), a
    custom date with quoted text and a locale, and a percentage (a number, not a date)
  - cells: shared strings, inline strings, numbers, booleans, a formula string, dates as
    serial numbers (including 60, Lotus's 1900-02-29, and one with a time of day), gaps
    between cells, a skipped row number and an empty row
minimal.xlsx   no relationships, no styles, no shared strings: only xl/workbook.xml and
               xl/worksheets/sheet1.xml, the fallback, with inline strings and numbers
not-a-workbook.xlsx   a ZIP archive named .xlsx that holds a text document, not a workbook
damaged-sheet.xlsx    like minimal.xlsx, but the sheet's XML breaks after 1000 good rows (far
               enough for the streaming reader to have given rows before it sees the break)

The tests check the values this script writes: change both together.
"""

import os
import sys
import zipfile
from datetime import date, datetime

MAIN_NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main'
REL_NS = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
PKG_REL_NS = 'http://schemas.openxmlformats.org/package/2006/relationships'
DOC_REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships'
XML_DECL = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# Fixed time for the ZIP entries, so that the output does not change from run to run
ZIP_TIME = (2024, 1, 1, 0, 0, 0)


def serial(value):
    """Excel's 1900 serial number of a date or datetime (after 1900-03-01)."""
    if isinstance(value, datetime):
        delta = value - datetime(1899, 12, 30)
        return delta.days + delta.seconds / 86400
    return (value - date(1899, 12, 30)).days


CONTENT_TYPES = XML_DECL + f'''<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/clientes.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>
</Types>'''

ROOT_RELS = XML_DECL + f'''<Relationships xmlns="{PKG_REL_NS}">
<Relationship Id="rId1" Type="{DOC_REL}/officeDocument" Target="xl/workbook.xml"/>
</Relationships>'''

WORKBOOK = XML_DECL + f'''<workbook xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">
<workbookPr defaultThemeVersion="124226"/>
<sheets>
<sheet name="Clientes" sheetId="2" r:id="rId3"/>
<sheet name="Otra" sheetId="1" r:id="rId1"/>
</sheets>
</workbook>'''

WORKBOOK_RELS = XML_DECL + f'''<Relationships xmlns="{PKG_REL_NS}">
<Relationship Id="rId1" Type="{DOC_REL}/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="{DOC_REL}/styles" Target="styles.xml"/>
<Relationship Id="rId3" Type="{DOC_REL}/worksheet" Target="/xl/worksheets/clientes.xml"/>
<Relationship Id="rId4" Type="{DOC_REL}/sharedStrings" Target="sharedStrings.xml"/>
</Relationships>'''

# Cell styles (index in <cellXfs>): 0 general, 1 built-in date 14, 2 custom date-time,
# 3 built-in time 20, 4 custom date with text and locale, 5 percentage
STYLES = XML_DECL + f'''<styleSheet xmlns="{MAIN_NS}">
<numFmts count="3">
<numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/>
<numFmt numFmtId="165" formatCode="[$-C0A]d&quot; de &quot;mmmm&quot; de &quot;yyyy"/>
<numFmt numFmtId="166" formatCode="0.00%"/>
</numFmts>
<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>
<fills count="1"><fill><patternFill patternType="none"/></fill></fills>
<borders count="1"><border/></borders>
<cellStyleXfs count="2">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0"/>
</cellStyleXfs>
<cellXfs count="6">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="20" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="166" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
</cellXfs>
</styleSheet>'''

SHARED = [
    '<si><t>Código</t></si>',                                                      # 0
    '<si><r><t>Nom</t></r><r><rPr><b/></rPr><t>bre</t></r></si>',                  # 1 rich text
    '<si><t>Teléfono</t></si>',                                                    # 2
    '<si><t>Fecha de nacimiento</t></si>',                                         # 3
    '<si><t>Aceptación GDPR</t></si>',                                             # 4
    '<si><t>Última visita</t></si>',                                               # 5
    '<si><t>Notas</t></si>',                                                       # 6
    '<si><t>Carmen</t><rPh sb="0" eb="6"><t>カルメン</t></rPh></si>',             # 7 phonetic
    '<si><t>Pedro</t></si>',                                                       # 8
    '<si><t xml:space="preserve">  con espacios  </t></si>',                      # 9
    '<si><t>Hora</t></si>',                                                        # 10
    '<si><t>Alta</t></si>',                                                        # 11
    '<si><t>Descuento</t></si>',                                                   # 12
    '<si><t>Apellidos</t></si>',                                                   # 13
]
SHARED_STRINGS = XML_DECL + (f'<sst xmlns="{MAIN_NS}" count="{len(SHARED)}" '
                             f'uniqueCount="{len(SHARED)}">\n' + '\n'.join(SHARED) + '\n</sst>')


def s(ref, index, style=None):
    style_attr = f' s="{style}"' if style is not None else ''
    return f'<c r="{ref}" t="s"{style_attr}><v>{index}</v></c>'


def inline(ref, text):
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'


def number(ref, value, style=None):
    style_attr = f' s="{style}"' if style is not None else ''
    return f'<c r="{ref}"{style_attr}><v>{value}</v></c>'


def boolean(ref, value):
    return f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'


# Columns: A Código, B Nombre, C Apellidos, D Teléfono, E Fecha de nacimiento,
# F Aceptación GDPR, G Última visita, H Notas, I Hora, J Alta, K Descuento
ROWS = [
    '<row r="1" spans="1:11">' + ''.join([
        s('A1', 0), s('B1', 1), s('C1', 13), s('D1', 2), s('E1', 3), s('F1', 4), s('G1', 5),
        s('H1', 6), s('I1', 10), s('J1', 11), s('K1', 12)]) + '</row>',
    '<row r="2">' + ''.join([
        number('A2', 101),
        s('B2', 7),
        inline('C2', 'Ruiz Peña'),
        number('D2', 600123456),
        number('E2', serial(date(1985, 3, 7)), style=1),          # 1985-03-07
        boolean('F2', True),
        number('G2', serial(datetime(2023, 3, 15, 12, 0)), style=2),  # 45000.5
        inline('H2', 'Línea 1_x000D_\nLínea 2 _x005F_x'),
        number('I2', 0.75, style=3),                               # 18:00:00
        number('J2', serial(date(2020, 1, 15)), style=4),         # 2020-01-15
        number('K2', 0.125, style=5),                              # a percentage: a number
    ]) + '</row>',
    # Row 3 is not in the file; row 4 has gaps (no C4, D4, G4) and Lotus's day
    '<row r="4">' + ''.join([
        number('A4', 102),
        s('B4', 8),
        number('E4', 60, style=1),                                 # 1900-02-29 in Lotus
        boolean('F4', False),
        s('H4', 9),
        number('K4', 3.5),
    ]) + '</row>',
    '<row r="5">' + ''.join([
        inline('A5', '103'),
        inline('B5', 'Rich &amp; &lt;Co&gt;'),
        number('E5', 61, style=1),                                 # 1900-03-01
        '<c r="H5" t="str"><f>CONCATENATE("a","b")</f><v>ab</v></c>',
        number('K5', '0.30000000000000004'),
    ]) + '</row>',
    '<row r="6"/>',                                                # an empty row
    '<row r="7"><c r="A7" s="0"/><c r="B7" t="s"/></row>',          # only empty cells
    '<row r="8">' + ''.join([
        number('A8', 104),
        inline('B8', 'Último'),
        number('E8', 1, style=1),                                  # 1900-01-01
    ]) + '</row>',
]

CLIENTES = XML_DECL + (f'<worksheet xmlns="{MAIN_NS}" xmlns:r="{REL_NS}">\n'
                       '<dimension ref="A1:K8"/>\n<sheetData>\n' + '\n'.join(ROWS) +
                       '\n</sheetData>\n</worksheet>')

DECOY = XML_DECL + (f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
                    '<row r="1"><c r="A1" t="inlineStr"><is><t>Not this sheet</t></is></c></row>'
                    '</sheetData></worksheet>')

MINIMAL_WORKBOOK = XML_DECL + (f'<workbook xmlns="{MAIN_NS}"><sheets>'
                               '<sheet name="Hoja1" sheetId="1"/></sheets></workbook>')

MINIMAL_SHEET = XML_DECL + (f'<worksheet xmlns="{MAIN_NS}"><sheetData>'
                            '<row><c t="inlineStr"><is><t>id</t></is></c>'
                            '<c t="inlineStr"><is><t>name</t></is></c></row>'
                            '<row><c><v>1</v></c><c t="inlineStr"><is><t>Uno</t></is></c></row>'
                            '<row><c><v>2</v></c><c t="inlineStr"><is><t>Dos</t></is></c></row>'
                            '</sheetData></worksheet>')

DAMAGED_SHEET = XML_DECL + (f'<worksheet xmlns="{MAIN_NS}"><sheetData>\n'
                            '<row><c t="inlineStr"><is><t>id</t></is></c>'
                            '<c t="inlineStr"><is><t>name</t></is></c></row>\n' +
                            ''.join(f'<row><c><v>{i}</v></c>'
                                    f'<c t="inlineStr"><is><t>Fila {i}</t></is></c></row>\n'
                                    for i in range(1, 1001)) +
                            '<row><c><v>1001</v></c></rw>'
                            '</sheetData></worksheet>')


def write(path, parts):
    with zipfile.ZipFile(path, 'w', zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode('utf-8'))


def main():
    directory = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))

    write(os.path.join(directory, 'clients.xlsx'), [
        ('[Content_Types].xml', CONTENT_TYPES),
        ('_rels/.rels', ROOT_RELS),
        ('xl/workbook.xml', WORKBOOK),
        ('xl/_rels/workbook.xml.rels', WORKBOOK_RELS),
        ('xl/styles.xml', STYLES),
        ('xl/sharedStrings.xml', SHARED_STRINGS),
        ('xl/worksheets/sheet1.xml', DECOY),
        ('xl/worksheets/clientes.xml', CLIENTES),
    ])

    write(os.path.join(directory, 'minimal.xlsx'), [
        ('[Content_Types].xml', CONTENT_TYPES),
        ('xl/workbook.xml', MINIMAL_WORKBOOK),
        ('xl/worksheets/sheet1.xml', MINIMAL_SHEET),
    ])

    write(os.path.join(directory, 'damaged-sheet.xlsx'), [
        ('[Content_Types].xml', CONTENT_TYPES),
        ('xl/workbook.xml', MINIMAL_WORKBOOK),
        ('xl/worksheets/sheet1.xml', DAMAGED_SHEET),
    ])

    write(os.path.join(directory, 'not-a-workbook.xlsx'), [
        ('[Content_Types].xml', CONTENT_TYPES),
        ('word/document.xml', XML_DECL + '<document>Carta</document>'),
    ])


if __name__ == '__main__':
    main()
