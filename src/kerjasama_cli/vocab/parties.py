"""Partners' names: the kind a name makes plain."""

from __future__ import annotations

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
