"""The annual evaluation: record how far each agreement was carried out, raise and
follow findings, and compute the year's numbers that the reports print.

The numbers are computed here once; exports and templates only show them.
Implementation index: each evaluated agreement scores terlaksana = 100,
sebagian = its recorded progress (50 when none was recorded), belum and
tidak = 0; the index is the mean over the evaluated agreements (overall, or
of one OPD).

How a year's evaluation is built, one module each:

- ``fields``     what people type (options, questions, sheet cells) read into fields
- ``records``    one agreement's evaluation for a year, recorded and read back
- ``findings``   findings raised by hand, followed up, listed
- ``automatic``  the findings the rules raise by themselves, stored once
- ``numbers``    the year's numbers: coverage, levels, the implementation index
- ``board``      the year put together: its data, the board by OPD (with its form:
                 sent, answered, overdue), the roll-up by region
- ``states``     the cycle with the OPDs: submitted, returned, verified by the TKKSD
- ``forms``      what goes on each OPD's evaluation form, and its rows' keys

Every name is importable from ``kerjasama_cli.evaluation`` itself.
"""

from kerjasama_cli.evaluation.automatic import (
    AutoFinding,
    automatic_findings,
    record_automatic,
    recorded_rules,
)
from kerjasama_cli.evaluation.board import (
    Board,
    BoardRow,
    RegionRow,
    UnitGroup,
    YearData,
    board,
    by_region,
    load_year,
    numbers_for,
    unevaluated,
)
from kerjasama_cli.evaluation.fields import (
    EVALUATION_FIELDS,
    SCORE_FIELDS,
    TEXT_FIELDS,
    read_evaluation_fields,
    read_level,
)
from kerjasama_cli.evaluation.findings import (
    FINDING_LABELS,
    FindingFilter,
    FindingView,
    add_finding,
    all_findings,
    list_findings,
    update_finding,
)
from kerjasama_cli.evaluation.numbers import (
    NO_UNIT,
    YearNumbers,
    percent_of,
    unit_names,
    year_numbers,
)
from kerjasama_cli.evaluation.records import (
    LEVEL_POINTS,
    SEBAGIAN_POINTS,
    EvaluationResult,
    EvaluationView,
    evaluations_of,
    record_evaluation,
)

__all__ = [
    "EVALUATION_FIELDS",
    "FINDING_LABELS",
    "LEVEL_POINTS",
    "NO_UNIT",
    "SCORE_FIELDS",
    "SEBAGIAN_POINTS",
    "TEXT_FIELDS",
    "AutoFinding",
    "Board",
    "BoardRow",
    "EvaluationResult",
    "EvaluationView",
    "FindingFilter",
    "FindingView",
    "RegionRow",
    "UnitGroup",
    "YearData",
    "YearNumbers",
    "add_finding",
    "all_findings",
    "automatic_findings",
    "board",
    "by_region",
    "evaluations_of",
    "list_findings",
    "load_year",
    "numbers_for",
    "percent_of",
    "read_evaluation_fields",
    "read_level",
    "record_automatic",
    "record_evaluation",
    "recorded_rules",
    "unevaluated",
    "unit_names",
    "update_finding",
    "year_numbers",
]
