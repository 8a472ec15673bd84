"""The small records every cleaner returns: the kept lines and what was removed, with why."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Removal:
    """One piece of text a rule took out of a document.

    `rule` is the rule's stable name (counted in `docarchive stats`, stored in `removals`);
    `reason` says in words why that kind of text is not part of the document.
    """

    rule: str
    text: str
    reason: str


@dataclass(frozen=True, slots=True)
class Cleaned:
    """What a line-level cleaner returns: the lines it kept, in order, and its removals."""

    lines: list[str]
    removals: list[Removal] = field(default_factory=list)
