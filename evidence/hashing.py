"""SHA-256 helpers. Everything is read in chunks so a file never has to fit in memory."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1024 * 1024
_HEX64 = re.compile(r"[0-9a-f]{64}")


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_stream(stream: BinaryIO, *, chunk_size: int = CHUNK_SIZE) -> str:
    """Hash the stream from its current position to its end."""
    digest = hashlib.sha256()
    while chunk := stream.read(chunk_size):
        digest.update(chunk)
    return digest.hexdigest()


def sha256_file(path: Path) -> str:
    with path.open("rb") as stream:
        return sha256_stream(stream)


def is_sha256_hex(value: str) -> bool:
    """True for a lower-case 64-digit hex string, the only form used as an address."""
    return _HEX64.fullmatch(value) is not None
