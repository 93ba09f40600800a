"""Reading and checking: which submissions the inputs hold, and each one read, checked and admitted (or rejected).

Inputs are what an LMS hands a teacher: submission files, folders (every ``.json`` file at any depth, in name order)
and ``.zip`` archives (every ``.json`` member at any depth, in name order). Names do not matter: an LMS prefix such as
Canvas's ``lastfirst_12345_67890_answers.json`` is fine, since the student id comes from the file's content. Folders
and archives skip what is not ``.json``, and macOS's ``__MACOSX/`` folder and ``._`` files (copies of file metadata).

A zip member is checked like a file, and its reasons name it ``archive.zip:folder/member.json``. Against zip bombs,
nothing is extracted to disk and reading is bounded: a member is read only if it says it holds at most the 5 MB a
submission may have, and never more than 5 MB of it is decompressed (a member that lies about its size fails its
check); an archive gives at most :data:`MAX_MEMBERS` submissions and :data:`MAX_ARCHIVE_BYTES` decompressed in all,
and the members past a limit are rejected with the reason.
"""

from __future__ import annotations

import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..core.submission import MAX_BYTES, Rejection, Submission, parse_submission, read_submission
from .results import Issue, StudentResult, student_key

MAX_MEMBERS = 20_000  # submissions in one archive
MAX_ARCHIVE_BYTES = 1024 * 1024 * 1024  # decompressed bytes read from one archive, in all


@dataclass(frozen=True)
class Entry:
    """One submission to read: a file (``member`` empty) or a member of the archive ``path``."""

    path: str
    member: str = ""

    @property
    def name(self) -> str:
        """What the gradebook and every reason call it."""
        return f"{self.path}:{self.member}" if self.member else self.path


def _wanted(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return (name.lower().endswith(".json") and "__MACOSX" not in parts[:-1]
            and not parts[-1].startswith("._"))


def expand(names: Iterable[Path | str]) -> Iterator[Entry | Issue]:
    """Each input as the entries it holds, in order; an archive that cannot be opened is a ``rejected`` issue."""
    for given in names:
        name = str(given)
        path = Path(name)
        if path.is_dir():
            found = [p for p in path.rglob("*") if _wanted(p.relative_to(path).as_posix()) and p.is_file()]
            yield from (Entry(str(p)) for p in sorted(found, key=lambda p: p.relative_to(path).as_posix()))
        elif name.lower().endswith(".zip") and path.is_file():
            yield from _archive_entries(name)
        else:
            yield Entry(name)  # read_submission says what is wrong with it, if anything


def _archive_entries(name: str) -> Iterator[Entry | Issue]:
    try:
        with zipfile.ZipFile(name) as archive:
            members = sorted(info.filename for info in archive.infolist()
                             if not info.is_dir() and _wanted(info.filename))
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        yield Issue(name, "rejected", f"not graded: the archive cannot be opened ({exc}).",
                    "Download the submissions from the LMS again, or unzip them and give the folder.")
        return
    if not members:
        yield Issue(name, "warning", "the archive holds no .json files; nothing in it was graded.")
    for member in members[:MAX_MEMBERS]:
        yield Entry(name, member)
    if len(members) > MAX_MEMBERS:
        yield Issue(name, "rejected", f"not graded: {len(members) - MAX_MEMBERS:,} of its members, past the limit "
                    f"of {MAX_MEMBERS:,} submissions in one archive.", "Split the class into smaller archives.")


class Reader:
    """Reads entries, keeping each archive open while its members are read and counting what it decompressed."""

    def __init__(self) -> None:
        self.archives: dict[str, zipfile.ZipFile] = {}
        self.read_from: dict[str, int] = {}

    def read(self, entry: Entry) -> Submission | Rejection:
        if not entry.member:
            return read_submission(entry.path)
        name = entry.name
        try:
            archive = self.archives.get(entry.path)
            if archive is None:
                archive = self.archives[entry.path] = zipfile.ZipFile(entry.path)
            info = archive.getinfo(entry.member)
            if info.flag_bits & 0x1:
                return Rejection(name, "the member is encrypted.", "Zip the submissions again without a password.")
            if info.file_size > MAX_BYTES:
                return Rejection(name, f"the member is {info.file_size:,} bytes, more than the 5 MB limit for a "
                                 "submission.", "Check that this is a submission file.")
            used = self.read_from.get(entry.path, 0)
            if used + info.file_size > MAX_ARCHIVE_BYTES:
                return Rejection(name, f"the archive's members decompress to more than {MAX_ARCHIVE_BYTES:,} bytes "
                                 "in all; the rest were not read.", "Split the class into smaller archives.")
            with archive.open(info) as stream:
                raw = stream.read(MAX_BYTES + 1)
            self.read_from[entry.path] = used + len(raw)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            return Rejection(name, f"the member is damaged ({exc}).", "Download the submissions again.")
        except NotImplementedError as exc:  # a compression method Python's zipfile cannot read
            return Rejection(name, f"the member cannot be unpacked ({exc}).", "Zip the submissions again.")
        except (OSError, KeyError, ValueError) as exc:
            return Rejection(name, f"the member cannot be read ({exc}).", "Download the submissions again.")
        return parse_submission(raw, name)

    def close(self) -> None:
        for archive in self.archives.values():
            archive.close()
        self.archives.clear()


def admit(found: Submission | Rejection, name: str, slot: list[Issue], current: str,
          first_by_id: dict[str, StudentResult]) -> StudentResult | None:
    """Check one read submission; the :class:`StudentResult` to score, or None (rejected, its issue in ``slot``).

    Duplicate student ids (see :func:`student_key`): the first one given is graded, a later one is rejected, and the
    first gets a warning naming it.
    """
    if not isinstance(found, Submission):
        slot.append(Issue(name, "rejected", f"not graded: {found.reason}", found.fix))
        return None
    key = student_key(found.student_id)
    first = first_by_id.get(key)
    if first is not None:
        slot.append(Issue(name, "rejected", f"not graded: Student ID {found.student_id!r} is also in "
                          f"{first.path}, which was graded.", "If this is a resubmission, grade only the file "
                          "you want; if two students typed the same id, correct one of them and grade again."))
        slot.append(Issue(first.path, "warning", f"Student ID {found.student_id!r} is also in {name}, "
                          "which was not graded."))
        return None
    slot.extend(Issue(name, "warning", warning) for warning in found.warnings)
    if found.content_hash != current:
        slot.append(Issue(name, "warning", "the file was made from other exercises (its content hash differs from "
                          "the current one); only items whose definitions are unchanged are graded."))
    result = StudentResult(path=name, submission=found)
    first_by_id[key] = result
    return result
