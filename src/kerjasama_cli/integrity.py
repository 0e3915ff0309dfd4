"""`kerjasama check`: what in the register contradicts itself or the documents on disk."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from kerjasama_cli import vocab
from kerjasama_cli.queries import AgreementView, load_views
from kerjasama_cli.register import file_digest, number_key


@dataclass
class Problem:
    code: str
    severity: str  # "error": contradicts itself; "warning": incomplete
    agreement_id: int
    number: str
    message: str

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _label(view: AgreementView) -> str:
    return vocab.DOC_TYPES.label(view.doc_type)


def _dates(view: AgreementView) -> list[Problem]:
    problems = []
    start = view.starts_on or view.signed_on
    if view.ends_on and start and view.ends_on < start:
        problems.append(
            Problem(
                "end-before-start",
                "error",
                view.id,
                view.number,
                f"ends {view.ends_on.isoformat()}, before it starts {start.isoformat()}",
            )
        )
    if view.signed_on is None:
        problems.append(
            Problem("missing-signed-date", "warning", view.id, view.number, "has no signing date")
        )
    if view.ends_on is None and view.terminated_on is None:
        detail = f" (term {view.term_text!r} gives no date)" if view.term_text else ""
        problems.append(
            Problem("missing-end-date", "warning", view.id, view.number, f"has no end date{detail}")
        )
    return problems


def _parents(view: AgreementView, by_id: dict[int, AgreementView]) -> list[Problem]:
    if view.unresolved_parent:
        return [
            Problem(
                "unresolved-parent",
                "warning",
                view.id,
                view.number,
                f"names {view.unresolved_parent} as the document it belongs to, which is not "
                "in the register: import the file that holds it and the link is made",
            )
        ]
    if view.doc_type != "pks":
        return []
    if view.parent_id is None:
        return [
            Problem(
                "pks-without-kb",
                "warning",
                view.id,
                view.number,
                "is a PKS that names no Kesepakatan Bersama",
            )
        ]
    parent = by_id[view.parent_id]
    if parent.ends_on and view.ends_on and view.ends_on > parent.ends_on:
        return [
            Problem(
                "pks-outlives-kb",
                "error",
                view.id,
                view.number,
                f"runs to {view.ends_on.isoformat()}, after its {_label(parent)} {parent.number} "
                f"ends {parent.ends_on.isoformat()}",
            )
        ]
    if parent.ends_on and view.ends_on is None and view.terminated_on is None:
        return [
            Problem(
                "pks-outlives-kb",
                "warning",
                view.id,
                view.number,
                f"has no end date; its {_label(parent)} {parent.number} ends "
                f"{parent.ends_on.isoformat()}",
            )
        ]
    return []


def _file(view: AgreementView) -> list[Problem]:
    if not view.file_path:
        return []
    path = Path(view.file_path)
    if not path.is_file():
        return [
            Problem(
                "file-missing",
                "error",
                view.id,
                view.number,
                f"document file {view.file_path} is missing",
            )
        ]
    if view.file_sha256 and file_digest(path) != view.file_sha256:
        return [
            Problem(
                "file-changed",
                "error",
                view.id,
                view.number,
                f"document file {view.file_path} changed since it was recorded (SHA-256 differs)",
            )
        ]
    return []


def _duplicates(views: list[AgreementView]) -> list[Problem]:
    # Numbers repeat across regions in a roll-up; only a repeat within one is a problem.
    groups: dict[tuple[str, str], list[AgreementView]] = defaultdict(list)
    for view in views:
        groups[(view.region, number_key(view.number))].append(view)
    problems = []
    for group in groups.values():
        if len(group) < 2:
            continue
        for view in group:
            others = ", ".join(
                f"{_label(o)} {o.number!r} (id {o.id})" for o in group if o is not view
            )
            problems.append(
                Problem(
                    "duplicate-number",
                    "error",
                    view.id,
                    view.number,
                    f"has the same number as {others}",
                )
            )
    return problems


def check_register(session: Session, *, as_of: date | None = None) -> list[Problem]:
    views = load_views(session, as_of=as_of or date.today())
    by_id = {view.id: view for view in views}
    problems: list[Problem] = []
    for view in views:
        problems += _dates(view) + _parents(view, by_id) + _file(view)
    problems += _duplicates(views)
    problems.sort(key=lambda p: (p.severity != "error", p.agreement_id, p.code))
    return problems
