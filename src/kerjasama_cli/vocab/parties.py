"""Partners' names: the kind a name makes plain."""

from __future__ import annotations

import re

from kerjasama_cli.vocab.words import name_key

_PARTNER_KIND_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("pemerintah provinsi", "pemerintah-provinsi"),
    ("pemprov", "pemerintah-provinsi"),
    ("provinsi", "pemerintah-provinsi"),
    ("pemerintah kabupaten", "pemerintah-kabupaten-kota"),
    ("pemerintah kota", "pemerintah-kabupaten-kota"),
    ("pemkab", "pemerintah-kabupaten-kota"),
    ("pemkot", "pemerintah-kabupaten-kota"),
    ("kabupaten", "pemerintah-kabupaten-kota"),
    ("kota ", "pemerintah-kabupaten-kota"),
    ("kementerian", "kementerian-lembaga"),
    ("universitas", "perguruan-tinggi"),
    ("institut", "perguruan-tinggi"),
    ("politeknik", "perguruan-tinggi"),
    ("sekolah tinggi", "perguruan-tinggi"),
    ("perumda", "bumd"),
    ("pdam", "bumd"),
    ("yayasan", "organisasi-kemasyarakatan"),
)


def guess_partner_kind(name: str) -> str | None:
    """The kind a partner's name makes plain ("Universitas Lampung"), else None."""
    lowered = name_key(name)
    if "(persero)" in lowered:
        return "bumn"
    for prefix, kind in _PARTNER_KIND_BY_PREFIX:
        if lowered.startswith(prefix):
            return kind
    return None


# How a region is named as a party: "Pemerintah Kabupaten Tanggamus", "Pemkab
# Tanggamus", "Pemerintah Daerah Kab. Tanggamus", "Bupati Tanggamus".
_LEVELS = {
    "kabupaten": "kabupaten",
    "kab": "kabupaten",
    "pemkab": "kabupaten",
    "bupati": "kabupaten",
    "kota": "kota",
    "pemkot": "kota",
    "walikota": "kota",
    "provinsi": "provinsi",
    "prov": "provinsi",
    "pemprov": "provinsi",
    "gubernur": "provinsi",
}
_FILLER = {"pemerintah", "pemda", "daerah", "pemerintahan", "administrasi"}


def region_parts(name: str) -> tuple[str | None, str]:
    """(level, name) of a region as written: 'Pemkab Tanggamus' -> ('kabupaten', 'tanggamus')."""
    words = [
        w for w in re.split(r"[^0-9a-z]+", name.casefold().replace("wali kota", "walikota")) if w
    ]
    level = None
    rest: list[str] = []
    for word in words:
        if word in _FILLER and not rest:
            continue
        if word in _LEVELS and not rest and level is None:
            level = _LEVELS[word]
            continue
        rest.append(word)
    return level, "".join(rest)


def names_region(name: str, region: str) -> bool:
    """Whether a party's name is the region ``region`` itself (a level may be left out)."""
    party_level, party = region_parts(name)
    region_level, own = region_parts(region)
    if not party or party != own:
        return False
    if party_level is None:
        # A bare name is the region only where the party is written as a government.
        return region_level is None or bool(re.search(r"pemerintah|pemda", name, re.IGNORECASE))
    return region_level is None or party_level == region_level
