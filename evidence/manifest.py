"""What a bundle holds and how its listings are written: member names, `manifest.json`,
`SHA256SUMS`, and the problems a verification can report."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, NotRequired, Required, TypedDict

from evidence.errors import BundleError

PACKET_NAME = "packet.pdf"
MANIFEST_NAME = "manifest.json"
SUMS_NAME = "SHA256SUMS"
GENERATED = frozenset({PACKET_NAME, MANIFEST_NAME, SUMS_NAME})

_SUMS_LINE = re.compile(r"([0-9a-f]{64}) [ *](.+)")


class ManifestItem(TypedDict, total=False):
    """One entry of `manifest["items"]`; `path` is the member name in the bundle."""

    path: Required[str]
    sha256: Required[str]
    size: NotRequired[int]
    title: NotRequired[str]
    kind: NotRequired[str]
    media_type: NotRequired[str]
    original_name: NotRequired[str]
    pages: NotRequired[int]
    bates_first: NotRequired[str]
    bates_last: NotRequired[str]
    removed_in_packet: NotRequired[list[str]]  # what the packet's copy lost (evidence.inert, evidence.redact)
    redaction_of: NotRequired[dict[str, Any]]  # a redacted copy: its original's evidence id and SHA-256


@dataclass(frozen=True, slots=True)
class BundleFile:
    arcname: str  # e.g. "pleadings/civil_complaint.docx", "originals/3-借款合同.pdf"
    path: Path


class ProblemCode(StrEnum):
    UNREADABLE = "unreadable"  # not a ZIP, or a member cannot be read at all
    ALTERED = "altered"  # bytes differ from what SHA256SUMS (or the member's CRC) says
    MISSING = "missing"  # listed, or required, but not in the bundle
    EXTRA = "extra"  # in the bundle but listed nowhere
    DUPLICATE = "duplicate"  # the same member name twice
    SUMS_INVALID = "sums_invalid"
    MANIFEST_INVALID = "manifest_invalid"
    MANIFEST_MISMATCH = "manifest_mismatch"  # manifest hash differs from the member's
    CONTAINER_ALTERED = "container_altered"  # contents intact, ZIP headers or layout changed
    SIGNATURE_INVALID = "signature_invalid"
    SIGNATURE_UNTRUSTED = "signature_untrusted"


@dataclass(frozen=True, slots=True)
class Problem:
    code: ProblemCode
    path: str  # the member concerned, "" for the archive as a whole
    detail: str

    def __str__(self) -> str:
        return f"{self.code}: {self.path or '(bundle)'}: {self.detail}"


def check_arcname(name: str) -> str:
    """Refuse member names that could land outside the extraction directory or collide."""
    if name != unicodedata.normalize("NFC", name):
        raise BundleError(f"member name is not NFC-normalised: {name!r}")
    parts = name.split("/")
    bad = (
        not name
        or name.startswith("/")
        or "\\" in name
        or re.search(r"^[A-Za-z]:", name) is not None
        or any(part in ("", ".", "..") for part in parts)
        or any(unicodedata.category(char) == "Cc" for char in name)
    )
    if bad:
        raise BundleError(f"unsafe member name: {name!r}")
    return name


def manifest_bytes(manifest: Mapping[str, Any]) -> bytes:
    try:
        text = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False)
    except (TypeError, ValueError) as exc:
        raise BundleError(f"the manifest is not plain JSON data: {exc}") from exc
    return (text + "\n").encode("utf-8")


def manifest_items(manifest: object) -> list[ManifestItem]:
    """The items of a parsed manifest, or ValueError if their shape is wrong."""
    if not isinstance(manifest, dict):
        raise ValueError("the manifest is not a JSON object")
    items = manifest.get("items", [])
    if not isinstance(items, list):
        raise ValueError('"items" is not a list')
    for number, item in enumerate(items, start=1):
        if not (isinstance(item, dict) and isinstance(item.get("path"), str)):
            raise ValueError(f"item {number} has no path")
        if not isinstance(item.get("sha256"), str):
            raise ValueError(f"item {number} ({item['path']}) has no sha256")
    return items


def sums_bytes(hashes: Mapping[str, str]) -> bytes:
    """`sha256sum` format: two spaces, sorted by name, one line each."""
    return "".join(f"{hashes[name]}  {name}\n" for name in sorted(hashes)).encode("utf-8")


def parse_sums(data: bytes) -> dict[str, str]:
    """name → sha256 from a SHA256SUMS file, or ValueError naming the bad line."""
    hashes: dict[str, str] = {}
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        match = _SUMS_LINE.fullmatch(line)
        if match is None or match.group(2) in hashes:
            raise ValueError(f"line {number} is not a unique 'sha256  name' line")
        hashes[match.group(2)] = match.group(1)
    return hashes
