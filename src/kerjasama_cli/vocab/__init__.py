"""The controlled vocabulary of Kerja Sama Daerah and how users' spellings map onto it.

Each vocabulary is a code (what the register stores and scripts see, e.g. ``kb``)
with an Indonesian label (what reports show) and the spellings people type
("MoU", "Nota Kesepahaman"). Matching ignores case, spacing and punctuation.
Every spelling lives here once and serves the commands and the import alike:

- ``words``    fold/name keys and the Vocabulary type
- ``terms``    document types, kinds, funding, statuses, levels, recommendations...
- ``bidang``   the bidang urusan of UU 23/2014 and Permendagri 90/2019's wording
- ``parties``  what a partner's name says (its kind; whether it is the region itself)
- ``columns``  the header spellings of a register, an evaluation and a findings table
"""

from kerjasama_cli.vocab.bidang import BIDANG, BIDANG_GROUPS, match_bidang
from kerjasama_cli.vocab.parties import guess_partner_kind, names_region, region_parts
from kerjasama_cli.vocab.terms import (
    DOC_TYPES,
    DPRD,
    EVALUATION_STATES,
    FINDING_CATEGORIES,
    FINDING_STATUSES,
    FUNDING,
    KINDS,
    KSDD_CATEGORIES,
    LEVELS,
    OPEN_FINDING_STATUSES,
    PARTNER_KINDS,
    RECOMMENDATIONS,
    STATUSES,
)
from kerjasama_cli.vocab.words import (
    Term,
    Vocabulary,
    better_spelling,
    clean_name,
    fold,
    name_key,
    unique,
)

__all__ = [
    "BIDANG",
    "BIDANG_GROUPS",
    "DOC_TYPES",
    "DPRD",
    "EVALUATION_STATES",
    "FINDING_CATEGORIES",
    "FINDING_STATUSES",
    "FUNDING",
    "KINDS",
    "KSDD_CATEGORIES",
    "LEVELS",
    "OPEN_FINDING_STATUSES",
    "PARTNER_KINDS",
    "RECOMMENDATIONS",
    "STATUSES",
    "Term",
    "Vocabulary",
    "better_spelling",
    "clean_name",
    "fold",
    "guess_partner_kind",
    "match_bidang",
    "name_key",
    "names_region",
    "region_parts",
    "unique",
]
