"""Find the files under SOURCE and decide what each needs: cleaning, or nothing.

A file's identity is the SHA-256 of its bytes. A path whose size and modification time match
the archived version is not re-hashed (the quick check rsync and make rely on); `rehash=True`
hashes everything.
"""

from __future__ import annotations

import errno
import hashlib
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

INPUT_SUFFIXES = (".html", ".htm", ".txt", ".xhtml", ".shtml")
# The sha256 recorded for a file that could not be read (flows/ingest.py `_quarantine_row`).
UNREADABLE = "unreadable"
_HASH_CHUNK = 1 << 20

Status = Literal["new", "changed", "unchanged", "same_bytes", "unreadable"]


@dataclass(frozen=True, slots=True)
class FoundFile:
    path: Path  # absolute
    source_path: str  # relative to SOURCE, '/'-separated
    size_bytes: int
    mtime_ns: int | None
    sha256: str | None
    status: Status
    same_bytes_as: str | None = None
    error: str | None = None  # why it could not be read (status 'unreadable')


@dataclass
class Plan:
    """What a run will do with every file it found."""

    files: list[FoundFile] = field(default_factory=list)
    ignored: int = 0  # files with other suffixes

    def by_status(self, *statuses: Status) -> list[FoundFile]:
        return [f for f in self.files if f.status in statuses]

    @property
    def to_clean(self) -> list[FoundFile]:
        return self.by_status("new", "changed")


def walk(source: Path) -> Iterator[tuple[Path, str]]:
    """Every input file under `source`, sorted, as (absolute path, '/'-separated relative path).

    Directory symlinks are not followed, so a symlink loop cannot trap the walk.
    """
    source = source.resolve()
    if source.is_file():
        yield source, source.name
        return
    for directory, subdirs, names in os.walk(source, followlinks=False):
        subdirs.sort()
        for name in sorted(names):
            path = Path(directory) / name
            yield path, path.relative_to(source).as_posix()


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _unreadable(path: Path, rel: str, error: OSError) -> FoundFile:
    reason = {
        "ELOOP": "it is a symbolic link that points back into a loop",
        "ENOENT": "it is a symbolic link to a file that does not exist",
        "EACCES": "permission denied: the file cannot be read by this user",
        "EISDIR": "it is a directory, not a file",
    }.get(_errno_name(error), str(error.strerror or error))
    return FoundFile(path, rel, 0, None, None, "unreadable", error=f"cannot read the file: {reason}")


def _errno_name(error: OSError) -> str:
    return errno.errorcode.get(error.errno or 0, "")


def plan_files(
    source: Path,
    archived: dict[str, tuple[str, int, int | None]],
    archived_hashes: dict[str, str],
    *,
    rehash: bool = False,
    hash_files: bool = True,
) -> Plan:
    """Classify every input file under `source` against what the archive holds.

    `archived` maps a path to its current (sha256, size, mtime_ns); `archived_hashes` maps
    every archived sha256 to a path holding it. With `hash_files=False` nothing is read: a
    path whose size or mtime differs is reported 'changed' or 'new' without hashing (the
    cheap check the CLI makes before starting Prefect).
    """
    plan = Plan()
    seen_this_run: dict[str, str] = {}
    for path, rel in walk(source):
        if not rel.lower().endswith(INPUT_SUFFIXES):
            plan.ignored += 1
            continue
        known = archived.get(rel)
        try:
            stat = path.stat()
            if not path.is_file():
                if path.is_dir():
                    raise IsADirectoryError(errno.EISDIR, "Is a directory")
                # Never opened: reading a named pipe would block the run forever.
                raise OSError(errno.EINVAL, "it is not a regular file but a named pipe, socket or device")
            if known and not rehash and known[1] == stat.st_size and known[2] == stat.st_mtime_ns:
                plan.files.append(FoundFile(path, rel, stat.st_size, stat.st_mtime_ns, known[0], "unchanged"))
                continue
            if not hash_files:
                status: Status = "changed" if known else "new"
                plan.files.append(FoundFile(path, rel, stat.st_size, stat.st_mtime_ns, None, status))
                continue
            sha = sha256_of(path)
        except OSError as error:
            if known and known[0] == UNREADABLE:
                # Quarantined as unreadable already, and still is: nothing new to record.
                plan.files.append(FoundFile(path, rel, 0, None, UNREADABLE, "unchanged"))
            else:
                plan.files.append(_unreadable(path, rel, error))
            continue
        if known and known[0] == sha:
            status = "unchanged"
        elif sha in archived_hashes or sha in seen_this_run:
            plan.files.append(FoundFile(path, rel, stat.st_size, stat.st_mtime_ns, sha, "same_bytes",
                                        same_bytes_as=archived_hashes.get(sha) or seen_this_run[sha]))
            continue
        else:
            status = "changed" if known else "new"
            seen_this_run[sha] = rel
        plan.files.append(FoundFile(path, rel, stat.st_size, stat.st_mtime_ns, sha, status))
    return plan
