"""The report's sections in Word: those of templates/report.html.j2, in its order,
with its words and numbers (``report.context``, the data the HTML gets)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from docx.document import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Length, Mm, Pt

from kerjasama_cli.exporting.document.word import P_PR_AFTER_BORDER, add_table, text

NUMBER_ROWS = (  # the Rekapitulasi, as the HTML has it: key, word, formatter
    ("in_force", "in_force", "number"),
    ("evaluated", "evaluated", "number"),
    ("coverage_pct", "coverage", "percent"),
    ("implementation_index", "index", "number"),
    ("kb_without_pks", "kb_without_pks", "number"),
    ("ending_next_year", "ending_next_year", "number"),
    ("findings_raised", "raised", "number"),
    ("findings_closed", "closed", "number"),
    ("findings_open", "open", "number"),
    ("findings_overdue", "overdue", "number"),
)


class Writer:
    """Writes the sections into ``document``, ``width`` EMU between the margins."""

    def __init__(self, document: Document, data: dict[str, Any], *, width: int) -> None:
        self.document = document
        self.data = data
        self.w: dict[str, str] = data["w"]
        self.f: dict[str, Callable[..., Any]] = data["f"]
        self.width = width
        self.year: int | None = data["year"]

    # -- pieces --

    def heading(self, words: str, level: int) -> None:
        self.document.add_paragraph(text(words), style=f"Heading {level}")

    def paragraph(self, words: str, *, italic: bool = False) -> None:
        run = self.document.add_paragraph().add_run(text(words))
        if italic:
            run.italic = True

    def table(
        self,
        headers: Sequence[str],
        rows: Sequence[Sequence[object]],
        widths: Sequence[float],
        numeric: Sequence[int] = (),
        *,
        label_column: bool = False,
    ) -> None:
        if not rows:
            self.paragraph(self.w["none"])
            return
        add_table(
            self.document,
            headers,
            rows,
            widths=widths,
            numeric=numeric,
            width=self.width,
            label_column=label_column,
        )
        self.document.add_paragraph().paragraph_format.space_after = Pt(0)  # air below

    def label(self, code: str | None, kind: str) -> str:
        return str(self.f["label"](code, kind))

    # -- the report --

    def letterhead(self, government: str, office: str) -> None:
        """'PEMERINTAH KABUPATEN ...' and the office, over a double rule (kop surat),
        as the HTML's: without a region the office alone, without either nothing."""
        lines = [(words.upper(), size) for words, size in ((government, 14), (office, 12)) if words]
        for index, (words, size) in enumerate(lines):
            paragraph = self.document.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            paragraph.paragraph_format.space_after = Pt(0)
            paragraph.paragraph_format.keep_with_next = True
            run = paragraph.add_run(text(words))
            run.bold = True
            run.font.size = Pt(size)
            if index == len(lines) - 1:
                _rule_below(paragraph._p)
        if lines:
            self.document.add_paragraph().paragraph_format.space_after = Pt(6)

    def title(self, region: str, as_of: str) -> None:
        """The title, and the date the statuses are as of under it."""
        words = " ".join(part for part in (self.w["report"], region) if part)
        if self.year:
            words += f" {self.w['year']} {self.year}"
        paragraph = self.document.add_paragraph(text(words), style="Title")
        if as_of and self.w.get("as_of"):
            paragraph.paragraph_format.space_after = Pt(2)
            line = self.document.add_paragraph(text(f"{self.w['as_of']} {as_of}"))
            line.alignment = WD_ALIGN_PARAGRAPH.CENTER
            line.paragraph_format.space_after = Pt(12)

    def introduction(self, legal_basis: Sequence[str]) -> None:
        self.heading(f"1. {self.w['introduction']}", 1)
        self.paragraph(self.w["intro_text"])
        self.paragraph(f"{self.w['legal_basis']}:")
        for number, item in enumerate(legal_basis, 1):
            paragraph = self.document.add_paragraph()
            layout = paragraph.paragraph_format
            layout.left_indent, layout.first_line_indent = Mm(8), Mm(-8)
            layout.tab_stops.add_tab_stop(Mm(8))
            paragraph.add_run(text(f"{number}.\t{item}"))

    def numbers(self, numbers: dict[str, Any]) -> None:
        w, f, year = self.w, self.f, self.year or 0
        previous = numbers.get("previous")
        change = numbers.get("change") or {}
        self.heading(f"2. {w['numbers']}", 1)
        headers = ["", str(year)] + ([w["previous"], w["change"]] if previous else [])
        rows = []
        for key, word, kind in NUMBER_ROWS:
            label = w[word] + (f" {year + 1}" if key == "ending_next_year" else "")
            row = [label, f[kind](numbers[key])]
            if previous:
                row += [f[kind](previous[key]), f["number"](change.get(key))]
            rows.append(row)
        widths = [70, 30, 30, 30] if previous else [100, 40]
        self.table(headers, rows, widths, numeric=range(1, 4), label_column=True)
        self.paragraph(w["index_text"], italic=True)

        self.heading(w["by_level"], 2)
        self.table(
            [w["level"], w["count"], "%"],
            [
                [self.label(code, "level"), count, f["percent"](numbers["by_level_pct"][code])]
                for code, count in numbers["by_level"].items()
            ],
            [70, 25, 25],
            numeric=(1, 2),
        )
        for key, kind in (("by_doc_type", "doc_type"), ("by_kind", "kind")):
            self.heading(w[key], 2)
            self.table(
                [w.get(kind, w[key]), w["count"]],
                [[self.label(code, kind), count] for code, count in numbers[key].items()],
                [70, 25],
                numeric=(1,),
            )

    def regions(self, regions: Sequence[dict[str, Any]]) -> None:
        w, f = self.w, self.f
        self.heading(f"2.1 {w['by_region']}", 2)
        self.table(
            [
                w["region"],
                w["in_force"],
                w["evaluated"],
                w["unevaluated"],
                w["coverage"],
                w["index"],
                w["open_findings"],
            ],
            [
                [
                    row["region"],
                    row["in_force"],
                    row["evaluated"],
                    row["unevaluated"],
                    f["percent"](row["coverage_pct"]),
                    f["number"](row["implementation_index"]),
                    row["findings_open"],
                ]
                for row in regions
            ],
            [34, 21, 21, 21, 21, 21, 21],
            numeric=range(1, 7),
        )

    def units(self, numbers: dict[str, Any]) -> None:
        w, f = self.w, self.f
        self.heading(f"3. {w['by_unit']}", 1)
        self.table(
            [w["unit"], w["in_force"], w["evaluated"], w["coverage"], w["index"]],
            [
                [
                    name,
                    cover["in_force"],
                    cover["evaluated"],
                    f["percent"](cover["coverage_pct"]),
                    f["number"](numbers["index_by_unit"].get(name)),
                ]
                for name, cover in numbers["coverage_by_unit"].items()
            ],
            [58, 24, 22, 24, 32],
            numeric=range(1, 5),
        )

    def forms(self, rows: Sequence[dict[str, Any]]) -> None:
        """The OPDs' evaluation forms (only once forms were sent)."""
        if not rows:
            return
        w, f = self.w, self.f
        self.paragraph(w["forms"])
        self.table(
            [w["unit"], w["form_sent"], w["due"], w["in_force"], w["answered"], w["verified"],
             w["late"]],
            [
                [
                    row["unit"],
                    f["day"](row["form_sent_on"]),
                    f["day"](row["form_due_on"]),
                    row["in_force"],
                    row["answered"],
                    row["evaluated"],
                    w["yes"] if row["overdue"] else "",
                ]
                for row in rows
            ],
            [46, 24, 24, 18, 18, 20, 20],
            numeric=range(3, 6),
        )

    def agreements(
        self, kb_without_pks: Sequence[dict[str, Any]], ending: Sequence[dict[str, Any]]
    ) -> None:
        w, f, year = self.w, self.f, self.year or 0
        self.heading(f"4. {w['kb_list']}", 1)
        self.table(
            [w["number"], w["title"], w["unit"]],
            [
                [view["number"], view["title"], ", ".join(u["name"] for u in view["units"])]
                for view in kb_without_pks
            ],
            [38, 66, 56],
        )
        self.heading(f"5. {w['ending']} {year + 1}", 1)
        self.table(
            [w["number"], w["title"], w["ends"], w["value"]],
            [
                [
                    view["number"],
                    view["title"],
                    f["day"](view["ends_on"]),
                    f["rupiah"](view["value"]),
                ]
                for view in ending
            ],
            [38, 56, 32, 34],
            numeric=(3,),
        )

    def obstacles(
        self,
        evaluated: Sequence[dict[str, Any]],
        obstacles: dict[str, list[dict[str, Any]]],
        categories: Sequence[str],
    ) -> None:
        w, f = self.w, self.f
        self.heading(f"6. {w['obstacles']}", 1)
        with_obstacles = [item for item in evaluated if item["evaluation"]["obstacles"]]
        shown = [category for category in categories if category in obstacles]
        if with_obstacles:
            self.table(
                [w["agreement"], w["obstacles"], w["level"]],
                [
                    [
                        item["agreement"]["number"],
                        item["evaluation"]["obstacles"],
                        self.label(item["evaluation"]["level"], "level"),
                    ]
                    for item in with_obstacles
                ],
                [38, 88, 34],
            )
        elif not shown:
            self.paragraph(w["none"])
        for category in shown:
            self.heading(f"{w['findings']}: {self.label(category, 'category')}", 2)
            self.table(
                [w["agreement"], w["findings"], w["owner"], w["due"], w["status"], w["note"]],
                [
                    [
                        item["finding"]["number"],
                        item["finding"]["text"],
                        item["finding"]["owner"] or "-",
                        f["day"](item["finding"]["due_on"]),
                        self.label(item["finding"]["status"], "finding_status"),
                        item["finding"]["last_note"] or "-",
                    ]
                    for item in obstacles[category]
                ],
                [38, 30, 26, 24, 18, 24],
            )

    def recommendations(self, evaluated: Sequence[dict[str, Any]]) -> None:
        w = self.w
        self.heading(f"7. {w['recommendations']}", 1)
        self.table(
            [w["agreement"], w["title"], w["recommendation"], w["level"]],
            [
                [
                    item["agreement"]["number"],
                    item["agreement"]["title"],
                    self.label(item["evaluation"]["recommendation"], "recommendation"),
                    self.label(item["evaluation"]["level"], "level"),
                ]
                for item in evaluated
                if item["evaluation"]["recommendation"]
            ],
            [38, 54, 34, 34],
        )
        added = [
            item
            for item in evaluated
            if item["evaluation"].get("added_value") or item["evaluation"].get("evidence")
        ]
        if added:
            self.heading(f"8. {w['added']}", 1)
            self.table(
                [w["agreement"], w["added_value"], w["evidence"]],
                [
                    [
                        item["agreement"]["number"],
                        item["evaluation"].get("added_value") or "-",
                        item["evaluation"].get("evidence") or "-",
                    ]
                    for item in added
                ],
                [38, 66, 56],
            )

    def signature(self, settings: dict[str, str], place_and_day: str) -> None:
        """Place and date, position, room to sign, name (underlined) and NIP, on the
        right half, kept on one page."""
        lines: list[tuple[str, bool]] = [
            (place_and_day, False),
            (settings.get("signatory-title", ""), False),
            ("", False),
            ("", False),
            ("", False),
            (settings.get("signatory-name") or "....................................", True),
        ]
        if settings.get("signatory-nip"):
            lines.append((f"NIP. {settings['signatory-nip']}", False))
        spacer = self.document.add_paragraph()
        spacer.paragraph_format.keep_with_next = True
        for index, (words, name) in enumerate(lines):
            if not words and index < 2:
                continue
            paragraph = self.document.add_paragraph()
            layout = paragraph.paragraph_format
            layout.left_indent = Length(int(self.width * 0.5))
            layout.space_after = Pt(0)
            layout.keep_with_next = index < len(lines) - 1
            layout.keep_together = True
            run = paragraph.add_run(text(words))
            if name and settings.get("signatory-name"):
                run.bold = run.underline = True


def _rule_below(element: Any) -> None:
    """A double line under the letterhead, as on a kop surat."""
    p_pr = element.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (
        ("val", "thickThinSmallGap"),
        ("sz", "18"),
        ("space", "4"),
        ("color", "000000"),
    ):
        bottom.set(qn(f"w:{key}"), value)
    borders.append(bottom)
    p_pr.insert_element_before(borders, *P_PR_AFTER_BORDER)
