"""Why a file could not be cleaned. Each error carries a sentence a person understands.

The pipeline turns these into a quarantine row (`sources.status = 'quarantined'`,
`sources.error = str(exc)`); a run never stops because of one.
"""

from __future__ import annotations


class CleaningError(Exception):
    """Base class: a file that cannot become a clean document, and why."""

    code = "cleaning_failed"

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class EmptyFileError(CleaningError):
    code = "empty"


class TooLargeError(CleaningError):
    code = "too_large"


class BinaryFileError(CleaningError):
    code = "binary"


class UndecodableError(CleaningError):
    code = "undecodable"


class NoMainContentError(CleaningError):
    code = "no_content"
