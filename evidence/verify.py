"""Bundle verification: is this exactly the bundle we wrote?

Four independent checks, each naming every problem it finds:
1. every member is re-hashed and compared with SHA256SUMS (altered, missing, extra);
2. the manifest's items are compared with the members (manifest_mismatch);
3. the archive must be byte for byte the canonical encoding of those members, so a
   changed header, timestamp, permission or padding byte is caught as well;
4. a signed packet.pdf must still validate.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING

from evidence.hashing import CHUNK_SIZE, sha256_file
from evidence.manifest import (
    MANIFEST_NAME,
    PACKET_NAME,
    SUMS_NAME,
    Problem,
    ProblemCode,
    manifest_items,
    parse_sums,
)
from evidence.zipformat import DosStamp, EntryInfo, Layout, layout

if TYPE_CHECKING:
    from evidence.sign import SignatureStatus

_SIGNATURE_MARK = b"/ByteRange"


@dataclass(frozen=True, slots=True)
class _Read:
    sha256: str
    crc: int
    size: int
    signed: bool  # carries a PDF signature dictionary


@dataclass(frozen=True, slots=True)
class BundleReport:
    """What a verification found: its problems (none when intact) and, when the packet is
    signed and nothing else is wrong, the state of its signature."""

    problems: list[Problem]
    signature: SignatureStatus | None = None


def verify_bundle(
    zip_path: Path, *, trust_root: Path | None = None, expected_sha256: str | None = None
) -> list[Problem]:
    """Every problem found, or an empty list when the bundle is intact.

    The bundle vouches for itself only against accidents and partial edits: somebody who
    rewrites a member, SHA256SUMS and the manifest together is caught by `expected_sha256`
    (the hash `write_bundle` returned, kept in the audit trail) or by the packet signature.
    """
    return check_bundle(zip_path, trust_root=trust_root, expected_sha256=expected_sha256).problems


def check_bundle(
    zip_path: Path, *, trust_root: Path | None = None, expected_sha256: str | None = None
) -> BundleReport:
    """`verify_bundle`, with the packet signature's state for a report to a person."""
    problems = _whole_file(zip_path, expected_sha256)
    try:
        with zipfile.ZipFile(zip_path) as archive:
            found, signature = _verify(zip_path, archive, trust_root)
            return BundleReport(problems + found, signature)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as exc:
        unreadable = Problem(ProblemCode.UNREADABLE, "", f"not a readable ZIP: {exc}")
        return BundleReport([*problems, unreadable])


def _whole_file(zip_path: Path, expected_sha256: str | None) -> list[Problem]:
    if expected_sha256 is None:
        return []
    try:
        actual = sha256_file(zip_path)
    except OSError as exc:
        return [Problem(ProblemCode.UNREADABLE, "", str(exc))]
    if actual == expected_sha256:
        return []
    return [
        Problem(ProblemCode.ALTERED, "", f"the bundle hashes to {actual}, not {expected_sha256}")
    ]


def _verify(
    zip_path: Path, archive: zipfile.ZipFile, trust_root: Path | None
) -> tuple[list[Problem], SignatureStatus | None]:
    problems: list[Problem] = []
    names = [info.filename for info in archive.infolist()]
    problems += [
        Problem(ProblemCode.DUPLICATE, name, "appears more than once")
        for name in sorted({n for n in names if names.count(n) > 1})
    ]
    reads = _read_members(archive, problems)
    if len(reads) == len(names) and not problems:
        problems += _check_container(zip_path, archive, reads)
    problems += _check_sums(archive, reads)
    problems += _check_manifest(archive, reads)
    if not (reads.get(PACKET_NAME, _UNSIGNED).signed and not problems):
        return problems, None
    status = _signature(archive, trust_root)
    return problems + _signature_problems(status, trust_root), status


_UNSIGNED = _Read("", 0, 0, False)


def _read_members(archive: zipfile.ZipFile, problems: list[Problem]) -> dict[str, _Read]:
    reads: dict[str, _Read] = {}
    for info in archive.infolist():
        try:
            reads[info.filename] = _read(archive, info)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError) as exc:
            # zipfile checks each member's CRC as it reads: a changed byte shows up here.
            problems.append(Problem(ProblemCode.ALTERED, info.filename, f"unreadable: {exc}"))
    return reads


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> _Read:
    digest, crc, size, signed, tail = hashlib.sha256(), 0, 0, False, b""
    with archive.open(info) as stream:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
            # Keep a few bytes across chunks so a mark split between two is still found.
            signed = signed or _SIGNATURE_MARK in tail + chunk
            tail = chunk[-len(_SIGNATURE_MARK) :]
    return _Read(digest.hexdigest(), crc, size, signed)


def _check_container(
    zip_path: Path, archive: zipfile.ZipFile, reads: dict[str, _Read]
) -> list[Problem]:
    infos = archive.infolist()
    stamp = DosStamp.from_tuple(infos[0].date_time)
    entries = [EntryInfo(name, reads[name].size, reads[name].crc) for name in sorted(reads)]
    expected = layout(entries, stamp)
    offset = _first_difference(zip_path, expected)
    if offset is None:
        return []
    return [
        Problem(
            ProblemCode.CONTAINER_ALTERED,
            "",
            f"the ZIP structure differs from its canonical encoding at byte {offset}",
        )
    ]


def _first_difference(zip_path: Path, expected: Layout) -> int | None:
    """Compare every non-data byte of the file with the canonical layout; member data is
    covered by the hashes. None when identical."""
    with zip_path.open("rb") as stream:
        stream.seek(0, 2)
        if stream.tell() != expected.total_size:
            return min(stream.tell(), expected.total_size)
        regions = [*expected.headers, (expected.central_offset, expected.central + expected.end)]
        for offset, wanted in regions:
            stream.seek(offset)
            actual = stream.read(len(wanted))
            if actual != wanted:
                return offset + next(
                    (i for i, (a, b) in enumerate(zip(actual, wanted, strict=False)) if a != b),
                    len(actual),
                )
    return None


def _check_sums(archive: zipfile.ZipFile, reads: dict[str, _Read]) -> list[Problem]:
    sums = _listing(archive, reads, SUMS_NAME)
    if sums is None:
        return _absent(archive, SUMS_NAME, "the bundle has no checksum list")
    try:
        listed = parse_sums(sums)
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem(ProblemCode.SUMS_INVALID, SUMS_NAME, str(exc))]
    problems = [
        Problem(ProblemCode.ALTERED, name, f"sha256 is {reads[name].sha256}, listed {sha}")
        for name, sha in sorted(listed.items())
        if name in reads and reads[name].sha256 != sha
    ]
    problems += [
        Problem(ProblemCode.MISSING, name, "listed in SHA256SUMS but not in the bundle")
        for name in sorted(set(listed) - set(archive.namelist()))
    ]
    problems += [
        Problem(ProblemCode.EXTRA, name, "in the bundle but not listed in SHA256SUMS")
        for name in sorted(set(archive.namelist()) - set(listed) - {SUMS_NAME})
    ]
    if PACKET_NAME not in archive.namelist() and PACKET_NAME not in listed:
        problems.append(Problem(ProblemCode.MISSING, PACKET_NAME, "the bundle has no packet"))
    return problems


def _check_manifest(archive: zipfile.ZipFile, reads: dict[str, _Read]) -> list[Problem]:
    data = _listing(archive, reads, MANIFEST_NAME)
    if data is None:
        return _absent(archive, MANIFEST_NAME, "the bundle has no manifest")
    try:
        items = manifest_items(json.loads(data.decode("utf-8")))
    except (ValueError, UnicodeDecodeError) as exc:
        return [Problem(ProblemCode.MANIFEST_INVALID, MANIFEST_NAME, str(exc))]
    problems: list[Problem] = []
    for item in items:
        read = reads.get(item["path"])
        if item["path"] not in archive.namelist():
            problems.append(Problem(ProblemCode.MISSING, item["path"], "listed in the manifest"))
        elif read is not None and read.sha256 != item["sha256"]:
            detail = f"sha256 is {read.sha256}, the manifest says {item['sha256']}"
            problems.append(Problem(ProblemCode.MANIFEST_MISMATCH, item["path"], detail))
    return problems


def _listing(archive: zipfile.ZipFile, reads: dict[str, _Read], name: str) -> bytes | None:
    """A listing member's bytes; None when it is absent or unreadable (then the caller
    reports it missing, or it was already reported as altered)."""
    return archive.read(name) if name in reads else None


def _absent(archive: zipfile.ZipFile, name: str, detail: str) -> list[Problem]:
    if name in archive.namelist():
        return []  # present but unreadable: already reported as altered
    return [Problem(ProblemCode.MISSING, name, detail)]


def _signature(archive: zipfile.ZipFile, trust_root: Path | None) -> SignatureStatus:
    # pyHanko takes most of a second to import: only bundles with a signed packet pay for it.
    from evidence.sign import verify_pdf_signature

    with _extracted(archive, PACKET_NAME) as packet:
        return verify_pdf_signature(packet, trust_root=trust_root)


def _signature_problems(status: SignatureStatus, trust_root: Path | None) -> list[Problem]:
    if not status.signed:
        return []
    if not (status.intact and status.valid and status.covers_whole_file):
        return [Problem(ProblemCode.SIGNATURE_INVALID, PACKET_NAME, status.detail)]
    if trust_root is not None and not status.trusted:
        return [Problem(ProblemCode.SIGNATURE_UNTRUSTED, PACKET_NAME, status.detail)]
    return []


@contextmanager
def _extracted(archive: zipfile.ZipFile, name: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="dossier-verify-") as work:
        path = Path(work) / "member"
        with archive.open(name) as source, path.open("wb") as out:
            _copy(source, out)
        yield path


def _copy(source: IO[bytes], out: IO[bytes]) -> None:
    while chunk := source.read(CHUNK_SIZE):
        out.write(chunk)
