"""An evaluation's fields read from what people type: the options of `evaluate`,
its interactive questions, and the cells of an evaluation sheet alike."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from kerjasama_cli import parse, vocab
from kerjasama_cli.errors import InvalidValue
from kerjasama_cli.register import DASHES, check_controls, check_text, refuse_empty

SCORE_FIELDS = (
    "goal_fit",
    "timeliness",
    "partner_contribution",
    "coordination",
    "indicator_attainment",
    "impact",
    "document_completeness",
    "periodic_reporting",
    "relevance",
)
TEXT_FIELDS = (
    "follow_up",
    "obstacles",
    "benefit",
    "added_value",
    "evidence",
    "note",
    "evaluator",
)
EVALUATION_FIELDS = (
    "level",
    "progress",
    "recommendation",
    "evaluated_on",
    *TEXT_FIELDS,
    *SCORE_FIELDS,
    "score",
)


def read_evaluation_fields(
    raw: Mapping[str, str | None], labels: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """Evaluation fields from text (None = not given; '-' = clear; '' is refused:
    "is empty; to clear it, give -").

    Every text is checked as the register's are (check_text: no control
    character, no longer than its column). Levels and recommendations are read
    in the words people use ("Sudah Terlaksana", "Perlu adendum", "Dilanjutkan
    dengan PKS baru"); a level may carry the progress ("Terlaksana 100%",
    "terlaksana sebagian (70%)"); the progress may be "75%", "60 persen" or "0,75".
    """
    labels = labels or {}
    values: dict[str, Any] = {}
    level_percent = None
    # A level or a recommendation read by its leading words ("Dilanjutkan dengan
    # PKS baru"): the whole text is kept in the note, so nothing typed is lost.
    said: list[str] = []
    for name, text in raw.items():
        if text is None:
            continue
        label = labels.get(name, name)
        refuse_empty(name, text, label)
        check_controls(name, text, label)
        clean = text.strip()
        if clean in DASHES:
            values[name] = None
        elif name == "level":
            values[name], level_percent = read_level(clean, label)
            if _said_more(vocab.LEVELS, _LEVEL_PERCENT.sub(" ", clean)):
                said.append(f"Tingkat pelaksanaan: {clean}")
        elif name == "recommendation":
            values[name] = vocab.RECOMMENDATIONS.match(
                clean, field_name=name, label=label, leading=True
            )
            if _said_more(vocab.RECOMMENDATIONS, clean):
                said.append(f"Rekomendasi: {clean}")
        elif name == "evaluated_on":
            values[name] = parse.parse_date(clean, field=name, label=label)
        elif name == "progress":
            values[name] = parse.parse_percent(clean, field=name, label=label)
        elif name in SCORE_FIELDS or name == "score":
            values[name] = parse.parse_int(clean, field=name, label=label, low=1, high=5)
        else:
            values[name] = check_text(name, clean, label)
    if level_percent is not None:
        given = values.get("progress")
        if given is not None and given != level_percent:
            raise InvalidValue(
                "progress",
                raw.get("progress"),
                f"differs from the {level_percent}% given with the level",
                label=labels.get("progress", "progress"),
            )
        values["progress"] = level_percent
    if said:
        values["note"] = "\n".join([*filter(None, [values.get("note")]), *said])
    return values


def _said_more(vocabulary: vocab.Vocabulary, text: str) -> bool:
    """The text names a term by its leading words and says more after them."""
    text = text.strip(" ,;:-()")
    return bool(text) and vocabulary.lookup(text) is None


_LEVEL_PERCENT = re.compile(r"\(?\s*(\d{1,3}(?:[.,]\d+)?)\s*(?:%|persen)\s*\)?", re.IGNORECASE)


def read_level(text: str, label: str = "level") -> tuple[str, int | None]:
    """A level and the progress it carries: "Terlaksana 100%" is (terlaksana, 100),
    "terlaksana sebagian (70%)" (sebagian, 70); "70%" alone is (sebagian, 70)."""
    percent = None
    found = _LEVEL_PERCENT.search(text)
    if found:
        percent = parse.parse_percent(found.group(1) + "%", field="level", label=label)
        text = (text[: found.start()] + " " + text[found.end() :]).strip(" ,;:-")
    if not text and percent is not None:
        level = "terlaksana" if percent == 100 else "belum" if percent == 0 else "sebagian"
        return level, percent
    return vocab.LEVELS.match(text, field_name="level", label=label, leading=True), percent
