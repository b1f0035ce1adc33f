"""Litigation bundles: one ZIP with the packet, the pleadings and the originals, a manifest
and a SHA256SUMS file, written deterministically so the same inputs give the same bytes
and so a verifier can prove that not one byte was changed since."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import tempfile
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from evidence.errors import BundleError
from evidence.hashing import CHUNK_SIZE
from evidence.manifest import (
    GENERATED,
    MANIFEST_NAME,
    PACKET_NAME,
    SUMS_NAME,
    BundleFile,
    ManifestItem,
    Problem,
    ProblemCode,
    check_arcname,
    manifest_bytes,
    manifest_items,
    sums_bytes,
)
from evidence.verify import verify_bundle
from evidence.zipformat import DosStamp, EntryInfo, layout

__all__ = [
    "BundleFile",
    "ManifestItem",
    "Problem",
    "ProblemCode",
    "verify_bundle",
    "write_bundle",
]


@dataclass(frozen=True, slots=True)
class _Member:
    name: str
    source: Path | bytes
    size: int
    crc: int
    sha256: str


def write_bundle(
    out_zip: Path,
    *,
    packet_pdf: Path,
    files: Sequence[BundleFile],
    manifest: Mapping[str, Any],
    as_of: dt.datetime | None = None,
) -> str:
    """Write the bundle to `out_zip` and return the SHA-256 of the ZIP.

    Every entry carries `as_of` (default 1980-01-01) as its time. Manifest items must name
    bundle members and carry their true hashes: a bundle never contradicts itself.
    """
    if as_of is not None and as_of.tzinfo is None:
        raise BundleError("as_of must be timezone-aware")
    members = [_from_file(PACKET_NAME, packet_pdf), *_files(files)]
    _check_manifest(manifest, {member.name: member.sha256 for member in members})
    members.append(_from_bytes(MANIFEST_NAME, manifest_bytes(manifest)))
    members.append(_from_bytes(SUMS_NAME, sums_bytes({m.name: m.sha256 for m in members})))
    members.sort(key=lambda member: member.name)
    return _write_atomically(out_zip, members, DosStamp.from_datetime(as_of))


def _files(files: Sequence[BundleFile]) -> Iterator[_Member]:
    seen: set[str] = set()
    for item in files:
        name = check_arcname(item.arcname)
        # Case-insensitive file systems would merge two such members on extraction.
        if name in GENERATED or name.casefold() in seen:
            raise BundleError(f"duplicate or reserved member name: {name!r}")
        seen.add(name.casefold())
        yield _from_file(name, item.path)


def _from_file(name: str, path: Path) -> _Member:
    digest, crc, size = hashlib.sha256(), 0, 0
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            digest.update(chunk)
            crc = zlib.crc32(chunk, crc)
            size += len(chunk)
    return _Member(name, path, size, crc, digest.hexdigest())


def _from_bytes(name: str, data: bytes) -> _Member:
    return _Member(name, data, len(data), zlib.crc32(data), hashlib.sha256(data).hexdigest())


def _check_manifest(manifest: Mapping[str, Any], hashes: Mapping[str, str]) -> None:
    try:
        items = manifest_items(dict(manifest))
    except ValueError as exc:
        raise BundleError(f"invalid manifest: {exc}") from exc
    for item in items:
        actual = hashes.get(item["path"])
        if actual is None:
            raise BundleError(f"manifest item {item['path']!r} is not a bundle member")
        if actual != item["sha256"]:
            raise BundleError(f"manifest item {item['path']!r} has the wrong sha256")


def _write_atomically(out_zip: Path, members: list[_Member], stamp: DosStamp) -> str:
    fd, name = tempfile.mkstemp(prefix=f".{out_zip.name}.", dir=out_zip.parent)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            digest = _write(out, members, stamp)
            out.flush()
            os.fsync(out.fileno())
        os.replace(tmp, out_zip)
    finally:
        tmp.unlink(missing_ok=True)
    return digest


def _write(out: IO[bytes], members: list[_Member], stamp: DosStamp) -> str:
    plan = layout([EntryInfo(m.name, m.size, m.crc) for m in members], stamp)
    digest = hashlib.sha256()

    def emit(data: bytes) -> None:
        digest.update(data)
        out.write(data)

    for (_, header), member in zip(plan.headers, members, strict=True):
        emit(header)
        _emit_content(member, emit)
    emit(plan.central)
    emit(plan.end)
    return digest.hexdigest()


def _emit_content(member: _Member, emit: Callable[[bytes], None]) -> None:
    if isinstance(member.source, bytes):
        emit(member.source)
        return
    # The header already carries the first pass's CRC: a file that changed since would make
    # a self-contradicting archive, so it is refused. CRC-32 suffices against an accidental
    # concurrent write and costs a fifth of a second SHA-256 pass over a 200 MB bundle.
    crc = 0
    with member.source.open("rb") as stream:
        while chunk := stream.read(CHUNK_SIZE):
            crc = zlib.crc32(chunk, crc)
            emit(chunk)
    if crc != member.crc:
        raise BundleError(f"{member.name} changed while the bundle was being written")
