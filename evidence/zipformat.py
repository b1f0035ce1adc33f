"""A deterministic ZIP encoding, written by hand so that its bytes are ours.

Bundles must come out byte-identical for identical inputs, and a verifier must be able to
tell whether a bundle is exactly the canonical encoding of its contents. `zipfile` changes
header details between Python versions and its deflate output depends on the zlib build, so
bundles use this small encoder: STORED members only (evidence is PDFs, JPEGs and DOCX files,
already compressed), sorted names, one fixed timestamp, fixed permissions, UTF-8 names, no
extra fields, no comment, no zip64. `zipfile` reads the result like any other archive.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Sequence
from dataclasses import dataclass

from evidence.errors import BundleError

EPOCH = dt.datetime(1980, 1, 1, tzinfo=dt.UTC)  # the earliest time a ZIP header can hold

_UTF8_NAMES = 0x0800
_VERSION = 20  # 2.0: what every reader supports
_MADE_BY = (3 << 8) | _VERSION  # 3: Unix, so the permission bits below mean something
_REGULAR_FILE_0644 = 0o100644 << 16
_LIMIT = 0xFFFFFFFF
_MAX_ENTRIES = 0xFFFF


@dataclass(frozen=True, slots=True)
class EntryInfo:
    name: str
    size: int
    crc: int


@dataclass(frozen=True, slots=True)
class DosStamp:
    time: int
    date: int

    @classmethod
    def from_datetime(cls, moment: dt.datetime | None) -> DosStamp:
        moment = max((moment or EPOCH).astimezone(dt.UTC), EPOCH)
        date = ((moment.year - 1980) << 9) | (moment.month << 5) | moment.day
        time = (moment.hour << 11) | (moment.minute << 5) | (moment.second // 2)
        return cls(time, date)

    @classmethod
    def from_tuple(cls, value: tuple[int, int, int, int, int, int]) -> DosStamp:
        year, month, day, hour, minute, second = value
        date = ((year - 1980) << 9) | (month << 5) | day
        return cls((hour << 11) | (minute << 5) | (second // 2), date)


@dataclass(frozen=True, slots=True)
class Layout:
    """Every byte of the archive that is not member data, and where it goes."""

    headers: tuple[tuple[int, bytes], ...]  # (offset, local header) per entry, in order
    central: bytes
    central_offset: int
    end: bytes
    total_size: int

    def data_offset(self, index: int) -> int:
        offset, header = self.headers[index]
        return offset + len(header)


def layout(entries: Sequence[EntryInfo], stamp: DosStamp) -> Layout:
    """The canonical layout of `entries` in the given order (callers sort by name)."""
    if len(entries) > _MAX_ENTRIES:
        raise BundleError(f"a bundle holds at most {_MAX_ENTRIES} files")
    headers: list[tuple[int, bytes]] = []
    central = bytearray()
    offset = 0
    for entry in entries:
        _check_size(entry.size)
        header = _local_header(entry, stamp)
        headers.append((offset, header))
        central += _central_header(entry, stamp, offset)
        offset += len(header) + entry.size
    _check_size(offset + len(central))
    end = struct.pack(
        "<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(central), offset, 0
    )
    total = offset + len(central) + len(end)
    return Layout(tuple(headers), bytes(central), offset, end, total)


def _check_size(size: int) -> None:
    if size >= _LIMIT:
        raise BundleError("a bundle and each of its files must stay under 4 GiB")


def _local_header(entry: EntryInfo, stamp: DosStamp) -> bytes:
    name = entry.name.encode("utf-8")
    fixed = struct.pack(
        "<IHHHHHIIIHH",
        0x04034B50,
        _VERSION,
        _UTF8_NAMES,
        0,  # STORED
        stamp.time,
        stamp.date,
        entry.crc,
        entry.size,
        entry.size,
        len(name),
        0,  # no extra field
    )
    return fixed + name


def _central_header(entry: EntryInfo, stamp: DosStamp, offset: int) -> bytes:
    name = entry.name.encode("utf-8")
    fixed = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50,
        _MADE_BY,
        _VERSION,
        _UTF8_NAMES,
        0,  # STORED
        stamp.time,
        stamp.date,
        entry.crc,
        entry.size,
        entry.size,
        len(name),
        0,  # extra field length
        0,  # comment length
        0,  # disk number
        0,  # internal attributes
        _REGULAR_FILE_0644,
        offset,
    )
    return fixed + name
