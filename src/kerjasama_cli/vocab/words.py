"""Spellings, keys and the Vocabulary type: how a typed word finds its code.

Matching ignores case, spacing and punctuation (``fold``); names of partners
and OPDs are found by ``name_key``.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from kerjasama_cli.errors import InvalidValue

_NOT_ALNUM = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """The matching key of a name: lower case, only letters and digits, without 'dan'/'&'."""
    words = _NOT_ALNUM.split(text.casefold().replace("&", " dan "))
    # "Koperasi, Usaha Kecil dan Menengah" and "koperasi usaha kecil menengah"
    # name the same thing: the conjunction carries no meaning here.
    return "".join(word for word in words if word != "dan")


@lru_cache(maxsize=1 << 16)  # an import asks for the same few hundred names again and again
def name_key(name: str) -> str:
    """The key under which partners and units are found: case and spacing ignored."""
    return " ".join(name.split()).casefold()


def better_spelling(stored: str, typed: str) -> str:
    """Keep the stored name unless it is all one case and the typed one is not.

    The first spelling of "Dinas Kesehatan" may have been "dinas kesehatan";
    the first properly capitalised spelling replaces it in reports.
    """

    def flat(name: str) -> bool:
        return name == name.lower() or name == name.upper()

    return typed if flat(stored) and not flat(typed) else stored


def clean_name(name: str) -> str:
    """A name as stored: inner runs of white space collapsed, ends trimmed."""
    return " ".join(name.split())


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    label_en: str = ""
    aliases: tuple[str, ...] = ()


@dataclass
class Vocabulary:
    """A closed list of terms, found by code, label or alias, forgivingly."""

    name: str
    terms: tuple[Term, ...]
    # The `kerjasama ref` list that shows every term (named in errors when the
    # vocabulary is too long to list in one line).
    ref: str | None = None
    _index: dict[str, Term] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._index = {}
        for term in self.terms:
            for spelling in (term.code, term.label, *term.aliases):
                self._index.setdefault(fold(spelling), term)

    @property
    def codes(self) -> list[str]:
        return [t.code for t in self.terms]

    def label(self, code: str | None) -> str:
        if code is None:
            return ""
        return self.get(code).label

    def get(self, code: str) -> Term:
        for term in self.terms:
            if term.code == code:
                return term
        raise KeyError(code)

    def lookup(self, text: str, *, leading: bool = False) -> str | None:
        """The code ``text`` names, or None.

        With ``leading``, a cell that says more than the term ("Dilanjutkan dengan
        PKS baru", "Belum terlaksana karena anggaran") is read by its longest
        run of leading words that names one.
        """
        term = self._index.get(fold(text))
        if term is not None:
            return term.code
        if leading:
            words = _WORDS.findall(text.casefold())
            for end in range(len(words) - 1, 0, -1):
                term = self._index.get(fold(" ".join(words[:end])))
                if term is not None:
                    return term.code
        return None

    def match(
        self,
        text: str,
        *,
        field_name: str | None = None,
        label: str | None = None,
        leading: bool = False,
    ) -> str:
        """The code that ``text`` names; InvalidValue with the closest names otherwise."""
        code = self.lookup(text, leading=leading)
        if code is not None:
            return code
        raise InvalidValue(
            field_name or self.name,
            text,
            f"is not a known {self.name}",
            label=label,
            hint=self.suggestion(text),
        )

    def find_in(self, text: str) -> str | None:
        """The term a heading or a sheet's name mentions ("B. KERJA SAMA DENGAN PIHAK
        KETIGA" mentions ksdpk; "Daftar MoU 2021" kb; "Adendum PKS" adendum, the
        first named): the longest run of its words that names one; None when none
        does, or when it names two side by side ("KB dan PKS", "MoU/PKS")."""
        words = _WORDS.findall(text.casefold())
        found: dict[str, tuple[int, int]] = {}  # code -> (size, first word)
        for size in range(min(len(words), 8), 0, -1):
            for start in range(len(words) - size + 1):
                term = self._index.get(fold(" ".join(words[start : start + size])))
                if term is not None and term.code not in found:
                    found[term.code] = (size, start)
        if not found:
            return None
        longest = max(size for size, _start in found.values())
        best = sorted((start, code) for code, (size, start) in found.items() if size == longest)
        if len(best) > 1 and _BOTH.search(text):
            return None
        return best[0][1]

    def suggestion(self, text: str) -> str:
        spellings = {fold(s): s for t in self.terms for s in (t.code, t.label, *t.aliases)}
        close = difflib.get_close_matches(fold(text), list(spellings), n=3, cutoff=0.6)
        if close:
            named = vocab_unique(self._index[c].label for c in close)
            return "did you mean " + " or ".join(repr(n) for n in named) + "?"
        if self.ref and len(self.terms) > 8:
            return f"see the accepted values with: kerjasama ref {self.ref}"
        return "choose one of: " + ", ".join(t.label for t in self.terms)


_WORDS = re.compile(r"[0-9a-z%]+")
# What joins two terms named side by side: "KB dan PKS", "MoU/PKS", "KB & PKS".
_BOTH = re.compile(r"\bdan\b|&|/|,|\+", re.IGNORECASE)


def vocab_unique(items: Iterable[str]) -> list[str]:
    """Strings in order, each once."""
    return list(dict.fromkeys(items))


def unique(items: Iterable[str]) -> list[str]:
    """Items in order, each once (by its matching key)."""
    seen: set[str] = set()
    result = []
    for item in items:
        key = name_key(item)
        if key and key not in seen:
            seen.add(key)
            result.append(clean_name(item))
    return result
