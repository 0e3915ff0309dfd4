"""The register's agreements: reading their fields, finding them, and changing them.

- ``fields``  each field read from what people type; the values settled together
- ``lookup``  an agreement by id or number; search by text
- ``writes``  add, update, extend and terminate, each change kept in history
"""

from kerjasama_cli.register.fields import (
    CLEAR,
    FIELD_READERS,
    REQUIRED,
    Change,
    PartnerSpec,
    as_text,
    partner_specs,
    read_field,
    read_fields,
    settle,
)
from kerjasama_cli.register.lookup import find_agreement, number_key, search_condition
from kerjasama_cli.register.writes import (
    Actor,
    WriteResult,
    create_agreement,
    extend_agreement,
    file_digest,
    record_history,
    resolve_unit,
    terminate_agreement,
    update_agreement,
)

__all__ = [
    "CLEAR",
    "FIELD_READERS",
    "REQUIRED",
    "Actor",
    "Change",
    "PartnerSpec",
    "WriteResult",
    "as_text",
    "create_agreement",
    "extend_agreement",
    "file_digest",
    "find_agreement",
    "number_key",
    "partner_specs",
    "read_field",
    "read_fields",
    "record_history",
    "resolve_unit",
    "search_condition",
    "settle",
    "terminate_agreement",
    "update_agreement",
]
