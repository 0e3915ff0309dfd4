"""The parties of an agreement as offices list them, and the region itself among them.

A "Para Pihak" cell often lists both parties, numbered: "1. Pemerintah
Kabupaten Pringsewu\\n2. Universitas Lampung". The numbering is stripped, and
the region itself is not a partner of its own agreements: it is known by
`config region`, or as the one party named on every row.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from kerjasama_cli import vocab
from kerjasama_cli.register import CLEAR

_NUMBERING = re.compile(r"^\s*(?:\(?\d{1,2}\s*[.)]|\(?[a-zA-Z]\s*[.)](?=\s)|[-•*·–])\s*")
_PIHAK = re.compile(
    r"^\s*pihak\s+(?:ke\s*-?\s*)?(?:satu|kesatu|pertama|dua|kedua|tiga|ketiga|i{1,3}|[123])"
    r"\s*[:.\-–]\s*",
    re.IGNORECASE,
)
# "1. Pemkab Pringsewu 2. Universitas Lampung" on one line.
_INLINE_NUMBERS = re.compile(r"(?:^|\s)\(?\d{1,2}[.)]\s+")
_CLEAR = frozenset(CLEAR)


def split_names(text: str) -> tuple[str, ...]:
    """'A; B; a' -> ('A', 'B'): several partners or OPDs in one cell, each once,
    numbering ("1.", "a)", "-") and "Pihak Kesatu:" taken off."""
    if ";" not in text and "\n" not in text:
        # "1. Pemkab Pringsewu 2. Universitas Lampung": a numbered list on one line.
        if text[:1] in _LIST_STARTS and len(_INLINE_NUMBERS.findall(text)) >= 2:
            parts: Sequence[str] = [p for p in _INLINE_NUMBERS.split(text) if p.strip()]
        else:
            name = _clean(text)
            return (name,) if name else ()
    else:
        parts = _SEPARATORS.split(text)
    seen: set[str] = set()
    names = []
    for part in parts:
        name = _clean(part)
        key = vocab.name_key(name)
        if name and key not in seen:
            seen.add(key)
            names.append(name)
    return tuple(names)


_SEPARATORS = re.compile(r"[\n;]")
_LIST_STARTS = frozenset("0123456789(")


def _clean(part: str) -> str:
    name = vocab.clean_name(part)
    # Most names start with a letter and no "1." or "Pihak Kesatu:": one look at the
    # first two characters spares them the patterns (a file repeats this per cell).
    if (
        name[:1] in _MARKS
        or name[1:2] in _CLOSERS
        or (name[:1] in "Pp" and name[:5].casefold() == "pihak")
    ):
        name = vocab.clean_name(_PIHAK.sub("", _NUMBERING.sub("", name, count=1), count=1))
    name = name.rstrip(",;")
    return "" if name in _CLEAR else name


_CLOSERS = frozenset(".)")
_MARKS = frozenset("0123456789(-•*·–")


class RegionItself:
    """Tells the region's own name, as a party writes it, from its partners."""

    def __init__(self, names: Iterable[tuple[str, str]] = ()) -> None:
        # (name, how it was recognised): config region, or "named on every row".
        self.names = list(names)

    def __bool__(self) -> bool:
        return bool(self.names)

    def matches(self, party: str) -> bool:
        return any(
            vocab.names_region(party, name) or vocab.name_key(party) == vocab.name_key(name)
            for name, _how in self.names
        )

    def without(self, party: str) -> str | None:
        """ "Pemkab Tanggamus - Pemkab Pringsewu", "Pemerintah Kabupaten Tanggamus dengan
        Universitas Lampung": both parties written as one; the partner, when one side
        is the region itself (None when it is not written so)."""
        for separator in _JOINERS:
            parts = separator.split(party, maxsplit=1)
            if len(parts) == 2:
                first, second = (part.strip(" ,;") for part in parts)
                if first and second and self.matches(first) and not self.matches(second):
                    return second
                if first and second and self.matches(second) and not self.matches(first):
                    return first
        return None


# How two parties are joined in one name: "A - B", "A dengan B", "A & B".
_JOINERS = (
    re.compile(r"\s+[-–]\s+"),
    re.compile(r"\s+dengan\s+", re.IGNORECASE),
    re.compile(r"\s+&\s+"),
)


def _region_key(name: str) -> str:
    """Names of one region alike: 'Pemkab Tanggamus', 'Bupati Tanggamus'; others as typed."""
    level, core = vocab.region_parts(name)
    return f"{level}:{core}" if level and core else vocab.name_key(name)


def detect_region_itself(
    cells: Iterable[str], configured: str | None, minimum_rows: int = 2
) -> RegionItself:
    """The region as a party: `config region`, else the one party that every row
    listing several parties names (from the first rows of the file), however each
    row writes it ("Pemerintah Kabupaten X", "Pemkab X", "Bupati X")."""
    if configured:
        return RegionItself([(configured, "config region")])
    common: set[str] | None = None
    spelled: dict[str, str] = {}
    rows = 0
    for cell in cells:
        names = split_names(cell)
        if len(names) < 2:
            continue
        rows += 1
        keys = {_region_key(name) for name in names}
        for name in names:
            spelled.setdefault(_region_key(name), name)
        common = keys if common is None else common & keys
        if not common:
            return RegionItself()
    if common is None or rows < minimum_rows or len(common) != 1:
        return RegionItself()
    (key,) = common
    return RegionItself([(spelled[key], f"named on each of the first {rows} rows")])
