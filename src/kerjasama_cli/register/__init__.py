"""The register's agreements: reading their fields, finding them, and changing them.

- ``fields``   each field read from what people type; the values settled together;
               ``check_text``, the one check of any text stored (control
               characters, the columns' lengths), imports' cells included
- ``lookup``   an agreement by id or number; search by text
- ``resolve``  partners and OPDs by name; two people writing the same thing at once
- ``writes``   add and update, each change kept in history
- ``ending``   extend and terminate
"""

from kerjasama_cli.register.ending import extend_agreement, terminate_agreement
from kerjasama_cli.register.fields import (
    CLEAR,
    CLEAR_HINT,
    DASHES,
    FIELD_READERS,
    MAX_LENGTHS,
    REQUIRED,
    Change,
    PartnerSpec,
    as_text,
    check_controls,
    check_text,
    partner_specs,
    read_field,
    read_fields,
    read_names,
    refuse_empty,
    settle,
)
from kerjasama_cli.register.lookup import (
    MAX_ID,
    as_id,
    find_agreement,
    number_key,
    search_condition,
)
from kerjasama_cli.register.resolve import (
    is_unique_violation,
    resolve_partner,
    resolve_unit,
    same_time,
)
from kerjasama_cli.register.writes import (
    Actor,
    WriteResult,
    create_agreement,
    file_digest,
    record_history,
    update_agreement,
)

__all__ = [
    "CLEAR",
    "CLEAR_HINT",
    "DASHES",
    "FIELD_READERS",
    "MAX_ID",
    "MAX_LENGTHS",
    "REQUIRED",
    "Actor",
    "Change",
    "PartnerSpec",
    "WriteResult",
    "as_id",
    "as_text",
    "check_controls",
    "check_text",
    "create_agreement",
    "extend_agreement",
    "file_digest",
    "find_agreement",
    "is_unique_violation",
    "number_key",
    "partner_specs",
    "read_field",
    "read_fields",
    "read_names",
    "record_history",
    "refuse_empty",
    "resolve_partner",
    "resolve_unit",
    "same_time",
    "search_condition",
    "settle",
    "terminate_agreement",
    "update_agreement",
]
