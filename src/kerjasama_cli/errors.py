"""Typed errors of the core. The CLI turns each into one line on stderr and an exit code."""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """Exit codes, the same for every command (documented in README)."""

    OK = 0
    PROBLEMS_FOUND = 1  # `check` found problems; an import had invalid rows
    INVALID_INPUT = 2  # a value could not be read, or a required one is missing
    NOT_FOUND = 3  # no agreement, partner or unit by that reference
    CONFLICT = 4  # the change contradicts what the register holds
    REGISTER = 5  # the register cannot be opened, or its schema does not fit
    BUG = 70  # nothing foresaw it (EX_SOFTWARE): said in one line, to be reported


class KerjasamaError(Exception):
    """Base of every error the core raises on purpose."""

    exit_code: ExitCode = ExitCode.INVALID_INPUT

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint


class InvalidValue(KerjasamaError):
    """A value given by the user cannot be read or is not allowed.

    ``field`` is the model field; ``label`` is how the user named it (an option
    such as ``--end`` or a column such as ``Tanggal Berakhir``).
    """

    def __init__(
        self,
        field: str,
        value: object,
        reason: str,
        *,
        label: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.field = field
        self.value = value
        self.reason = reason
        self.label = label or field
        super().__init__(f"{self.label}: {value!r} {reason}", hint=hint)

    @classmethod
    def empty(cls, field: str, label: str) -> InvalidValue:
        """A required cell left empty: 'column "Tentang": required, but empty'."""
        error = cls(field, "", "is required", label=label)
        error.message = f"{label}: required, but empty"
        return error


class MissingValue(KerjasamaError):
    def __init__(self, field: str, *, label: str | None = None) -> None:
        self.field = field
        self.label = label or field
        super().__init__(f"{self.label} is required")


class NotFound(KerjasamaError):
    exit_code = ExitCode.NOT_FOUND


class Conflict(KerjasamaError):
    exit_code = ExitCode.CONFLICT


class RegisterError(KerjasamaError):
    """The register cannot be opened or used (path, server, schema version)."""

    exit_code = ExitCode.REGISTER
