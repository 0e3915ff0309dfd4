"""The evaluation report as a Word document (`export YEAR --docx`), to finish and sign.

The same sections, words and numbers as the HTML report (``report.context``
gives both their data), as real Word tables whose header row repeats on every
page, in heading styles (Word's navigation pane and table of contents see
them), on the chosen paper, with "Halaman X dari Y" in the footer and the
signature block (place, date, position, name, NIP) last. The charts are left
out: their numbers are the tables above them.

An office's ``report.docx`` in --template-dir gives the styles, page margins,
headers and footers (a letterhead there replaces the report's own); its body is
replaced by the report. A file python-docx cannot read is refused, named.
"""

from __future__ import annotations

from pathlib import Path

from kerjasama_cli.exporting.content import Content


def write_document(
    content: Content, path: Path, *, lang: str = "id", template_dir: Path | None = None
) -> Path:
    """Write the report to ``path`` (.docx); a bad report.docx is a ReportTemplateError."""
    from kerjasama_cli.exporting.document import word
    from kerjasama_cli.exporting.document.sections import Writer
    from kerjasama_cli.exporting.report import check_template_dir, context

    if template_dir is not None:
        check_template_dir(template_dir)
    document, own = word.open_document(template_dir)
    word.set_up_styles(document, own=own, lang=lang)
    section = document.sections[-1]
    word.set_up_page(section, content.paper, own=own)
    data = context(content, lang)
    w, f, shown = data["w"], data["f"], data["content"]
    word.add_page_numbers(section, w["page"], w["of"])

    writer = Writer(document, data, width=word.text_width(section))
    settings = data["settings"]
    if not word.has_letterhead(section):
        writer.letterhead(shown["government"], settings.get("office", ""))
    writer.title(content.region, str(f["day"](content.as_of)))
    writer.introduction(data["legal_basis"])
    numbers = data["numbers"]
    if numbers is not None:
        writer.numbers(numbers)
        if shown["regions"]:
            writer.regions(shown["regions"])
        writer.units(numbers)
        writer.forms(data["forms"])
        writer.agreements(data["kb_without_pks"], data["ending"])
        writer.obstacles(data["evaluated"], data["obstacles"], data["categories"])
        writer.recommendations(data["evaluated"])
    writer.signature(settings, shown["signed_line"])

    title = " ".join(part for part in (w["report"], content.region) if part)
    if content.year:
        title += f" {w['year']} {content.year}"
    author = settings.get("office") or shown["government"] or "kerjasama"
    word.save(document, path, as_of=content.as_of, title=title, author=author)
    return path
