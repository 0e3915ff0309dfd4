"""What the report needs of Word that python-docx does not say in one call.

The office's template (``report.docx``), the page (paper, margins, "Halaman X
dari Y"), the styles the report uses (made when a template lacks them), tables
with a repeated header row, and a file that is the same bytes for the same
register.
"""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from io import BytesIO
from pathlib import Path
from typing import Any

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.section import Section
from docx.shared import Inches, Length, Mm, Pt, RGBColor
from docx.styles.style import ParagraphStyle
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from kerjasama_cli.exporting.content import printable
from kerjasama_cli.exporting.templating import ReportTemplateError

# The paper sizes of `export --paper` (settings.PAPERS): F4 is 215 x 330 mm.
PAPER_SIZES: dict[str, tuple[Length, Length]] = {
    "a4": (Mm(210), Mm(297)),
    "f4": (Mm(215), Mm(330)),
    "legal": (Inches(8.5), Inches(14)),
}
# An office's report.docx is a few hundred kilobytes; these refuse a zip bomb.
MAX_TEMPLATE_BYTES = 50 << 20
MAX_TEMPLATE_UNPACKED = 200 << 20

FONT = "Arial"  # the shipped layout's; an office's template keeps its own
TABLE_TEXT = "Table Text"  # our paragraph style for table cells (a template may define it)
GREY = "D9D9D9"  # the header row's shading

# Word refuses a file whose elements are out of the schema's order: what may
# follow the element inserted, for insert_element_before.
P_PR_AFTER_BORDER = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
P_PR_AFTER_OUTLINE = P_PR_AFTER_BORDER[P_PR_AFTER_BORDER.index("w:outlineLvl") + 1 :]
R_PR_AFTER_LANG = ("w:eastAsianLayout", "w:specVanish", "w:oMath")
TC_PR_AFTER_SHADING = (
    "w:noWrap",
    "w:tcMar",
    "w:textDirection",
    "w:tcFitText",
    "w:vAlign",
    "w:hideMark",
    "w:headers",
    "w:cellIns",
    "w:cellDel",
    "w:cellMerge",
    "w:tcPrChange",
)
TBL_PR_AFTER_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)


def text(value: object) -> str:
    """Anything as text Word's XML can hold (control characters shown as U+FFFD)."""
    return printable("" if value is None else str(value))


# -- the document and its template ----------------------------------------------------


def open_document(template_dir: Path | None) -> tuple[Document, bool]:
    """The office's report.docx emptied of its body (styles, headers, footers and
    page kept), else python-docx's blank document; and whether it was the office's."""
    path = None if template_dir is None else template_dir / "report.docx"
    if path is None or not path.exists():
        return docx.Document(), False
    try:
        if not path.is_file():
            raise ValueError("it is not a file")
        if path.stat().st_size > MAX_TEMPLATE_BYTES:
            raise ValueError(f"it is larger than {MAX_TEMPLATE_BYTES >> 20} MB")
        with zipfile.ZipFile(path) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_TEMPLATE_UNPACKED:
                raise ValueError(f"it unpacks to more than {MAX_TEMPLATE_UNPACKED >> 20} MB")
        document = docx.Document(str(path))
    except Exception as error:  # python-docx, zipfile and lxml each raise their own
        reason = str(error) or type(error).__name__
        if isinstance(error, zipfile.BadZipFile):
            reason = "it is not a zip file, as a .docx is"
        raise ReportTemplateError(
            f"{path}: not a Word document kerjasama can use: {printable(reason)}",
            hint="save it from Word or LibreOffice as 'Word Document (.docx)', "
            "or take it out of --template-dir to use the shipped layout",
        ) from error
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    body.get_or_add_sectPr()
    return document, True


def set_up_styles(document: Document, *, own: bool, lang: str) -> None:
    """The styles the report uses. The shipped layout: Arial, black headings, the
    document's language. A template keeps its styles; those it lacks are made."""
    styles = document.styles
    if not own:
        normal = _paragraph_style(document, "Normal")
        _font(normal, FONT, 11)
        normal.paragraph_format.space_after = Pt(6)
        normal.paragraph_format.space_before = Pt(0)
        normal.paragraph_format.line_spacing = 1.15
        defaults = styles.element.find(qn("w:docDefaults"))
        if defaults is not None:
            run = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}")
            if run is not None:
                language = run.find(qn("w:lang"))
                if language is None:
                    language = OxmlElement("w:lang")
                    run.insert_element_before(language, *R_PR_AFTER_LANG)
                language.set(qn("w:val"), "id-ID" if lang == "id" else "en-GB")
    for level, size in ((1, 12), (2, 11)):
        name = f"Heading {level}"
        made = name not in _names(document)
        heading = _paragraph_style(document, name)
        if made or not own:
            _font(heading, FONT if not own else None, size, bold=True)
            heading.paragraph_format.space_before = Pt(12 if level == 1 else 9)
            heading.paragraph_format.space_after = Pt(6)
            heading.paragraph_format.keep_with_next = True
        _outline_level(heading, level - 1)  # what navigation and a TOC read
    made = "Title" not in _names(document)
    title = _paragraph_style(document, "Title")
    if made or not own:
        _font(title, FONT if not own else None, 14, bold=True)
        title.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER
        title.paragraph_format.space_after = Pt(12)
        p_pr = title.element.pPr
        border = None if p_pr is None else p_pr.find(qn("w:pBdr"))
        if border is not None and p_pr is not None:
            p_pr.remove(border)
    if TABLE_TEXT not in _names(document):
        cells = styles.add_style(TABLE_TEXT, WD_STYLE_TYPE.PARAGRAPH)
        cells.base_style = styles["Normal"]
        cells.font.size = Pt(9)
        cells.paragraph_format.space_before = Pt(1)
        cells.paragraph_format.space_after = Pt(1)
        cells.paragraph_format.line_spacing = 1.0


def _names(document: Document) -> set[str]:
    return {style.name for style in document.styles if style.name}


def _paragraph_style(document: Document, name: str) -> ParagraphStyle:
    if name in _names(document):
        style = document.styles[name]
    else:
        style = document.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        if name != "Normal":
            style.base_style = document.styles["Normal"]
            style.next_paragraph_style = document.styles["Normal"]
        style.quick_style = True
    assert isinstance(style, ParagraphStyle)
    return style


def _font(style: ParagraphStyle, name: str | None, size: float, *, bold: bool = False) -> None:
    """Font, size and black; a theme font or colour would win over ours, so it goes."""
    font = style.font
    if name:
        font.name = name
        r_fonts = style.element.rPr.find(qn("w:rFonts")) if style.element.rPr is not None else None
        if r_fonts is not None:
            for attribute in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
                r_fonts.attrib.pop(qn(f"w:{attribute}"), None)
            r_fonts.set(qn("w:cs"), name)
    font.size = Pt(size)
    font.bold = bold or None
    font.italic = None
    font.color.rgb = RGBColor(0, 0, 0)


def _outline_level(style: ParagraphStyle, level: int) -> None:
    p_pr = style.element.get_or_add_pPr()
    outline = p_pr.find(qn("w:outlineLvl"))
    if outline is None:
        outline = OxmlElement("w:outlineLvl")
        p_pr.insert_element_before(outline, *P_PR_AFTER_OUTLINE)
    outline.set(qn("w:val"), str(level))


# -- the page ------------------------------------------------------------------------


def set_up_page(section: Section, paper: str, *, own: bool) -> None:
    """Portrait on the chosen paper; the shipped layout's margins (3 cm binding
    side), a template's own."""
    width, height = PAPER_SIZES.get(paper, PAPER_SIZES["a4"])
    section.page_width, section.page_height = width, height
    if not own:
        section.top_margin = section.bottom_margin = Mm(20)
        section.left_margin, section.right_margin = Mm(30), Mm(20)
        section.header_distance = section.footer_distance = Mm(10)


def text_width(section: Section) -> int:
    """The width between the margins, in EMU."""
    width = section.page_width or PAPER_SIZES["a4"][0]
    return int(width - (section.left_margin or 0) - (section.right_margin or 0))


def has_letterhead(section: Section) -> bool:
    """Whether the template's header shows something (its kop surat): then the
    report does not print one of its own."""
    headers = [section.header]
    if section.different_first_page_header_footer:
        headers.append(section.first_page_header)
    for header in headers:
        if header.is_linked_to_previous:
            continue
        element = header._element
        if "".join(element.itertext()).strip():
            return True
        if element.findall(".//" + qn("w:drawing")) or element.findall(".//" + qn("w:pict")):
            return True
    return False


def add_page_numbers(section: Section, page: str, of: str) -> None:
    """'Halaman X dari Y' in the footer, as PAGE and NUMPAGES fields; a template
    whose footer already numbers its pages is left as it is."""
    footer = section.footer
    if not footer.is_linked_to_previous and _numbers_pages(footer._element):
        return
    paragraph = footer.paragraphs[0] if footer.paragraphs else footer.add_paragraph()
    if paragraph.text.strip():
        paragraph = footer.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in (f"{page} ", "PAGE", f" {of} ", "NUMPAGES"):
        if piece in ("PAGE", "NUMPAGES"):
            add_field(paragraph, piece)
        else:
            paragraph.add_run(piece).font.size = Pt(9)


def _numbers_pages(element: Any) -> bool:
    instructions = [node.text or "" for node in element.iter(qn("w:instrText"))]
    instructions += [node.get(qn("w:instr"), "") for node in element.iter(qn("w:fldSimple"))]
    return any(part.split()[:1] == ["PAGE"] for part in instructions)


def add_field(paragraph: Paragraph, instruction: str, shown: str = "1") -> None:
    """A complex field (PAGE, NUMPAGES): Word and LibreOffice compute it."""
    for kind in ("begin", "instr", "separate", "shown", "end"):
        run = paragraph.add_run()
        run.font.size = Pt(9)
        if kind == "instr":
            code = OxmlElement("w:instrText")
            code.set(qn("xml:space"), "preserve")
            code.text = f" {instruction} "
            run._r.append(code)
        elif kind == "shown":
            run.text = shown
        else:
            mark = OxmlElement("w:fldChar")
            mark.set(qn("w:fldCharType"), kind)
            run._r.append(mark)


# -- tables --------------------------------------------------------------------------


def add_table(
    document: Document,
    headers: Sequence[str],
    rows: Sequence[Sequence[object]],
    *,
    widths: Sequence[float],
    numeric: Sequence[int] = (),
    width: int,
    label_column: bool = False,
) -> Table:
    """A bordered table: a shaded, bold header row repeated on every page, cells in
    the Table Text style, numbers (``numeric`` columns) right-aligned, rows kept
    whole across pages. ``widths`` are shares of ``width`` (EMU)."""
    table: Table = document.add_table(rows=1 + len(rows), cols=len(headers))
    if "Table Grid" in _names(document):
        table.style = document.styles["Table Grid"]
    else:
        _borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    total = sum(widths)
    columns = [int(width * share / total) for share in widths]
    for column, size in zip(table.columns, columns, strict=True):
        column.width = Length(size)
    for index, values in enumerate([list(headers), *rows]):
        row = table.rows[index]
        tr_pr = row._tr.get_or_add_trPr()
        tr_pr.append(OxmlElement("w:cantSplit"))
        if index == 0:
            tr_pr.append(OxmlElement("w:tblHeader"))
        for position, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            cell.width = Length(columns[position])
            right = position in numeric
            _fill(
                cell,
                text(value),
                bold=index == 0 or (label_column and position == 0),
                right=right,
                centre=index == 0 and not right,
            )
            if index == 0:
                _shade(cell, GREY)
    return table


def _fill(cell: _Cell, value: str, *, bold: bool, right: bool, centre: bool) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.style = TABLE_TEXT
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    elif centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(value)
    if bold:
        run.bold = True


def _shade(cell: _Cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().insert_element_before(shading, *TC_PR_AFTER_SHADING)


def _borders(table: Table) -> None:
    """Thin borders where a template has no Table Grid style."""
    tbl_pr = table._tbl.tblPr
    borders = OxmlElement("w:tblBorders")
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        line = OxmlElement(f"w:{side}")
        line.set(qn("w:val"), "single")
        line.set(qn("w:sz"), "4")
        line.set(qn("w:space"), "0")
        line.set(qn("w:color"), "000000")
        borders.append(line)
    tbl_pr.insert_element_before(borders, *TBL_PR_AFTER_BORDERS)


# -- the file ------------------------------------------------------------------------


def save(document: Document, path: Path, *, as_of: date, title: str, author: str) -> None:
    """Written with fixed document and zip times: the same register, the same bytes."""
    moment = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    properties = document.core_properties
    properties.title = text(title)[:255]
    properties.author = properties.last_modified_by = text(author)[:255]
    properties.created = properties.modified = properties.last_printed = moment
    properties.revision = 1
    package = document.part.package
    for key, relation in list(package.rels.items()):
        if relation.reltype == RT.THUMBNAIL:  # the template's picture, not this report's
            package.rels.pop(key)
    buffer = BytesIO()
    document.save(buffer)
    buffer.seek(0)
    with (
        zipfile.ZipFile(buffer) as packed,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out,
    ):
        for info in packed.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            out.writestr(entry, packed.read(info.filename))
