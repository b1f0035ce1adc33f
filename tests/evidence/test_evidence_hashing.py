import hashlib
from io import BytesIO
from pathlib import Path

from evidence.hashing import is_sha256_hex, sha256_bytes, sha256_file, sha256_stream

DATA = b"\x00\x01 evidence " * 300_000  # several chunks


def test_bytes_stream_and_file_agree_with_hashlib(tmp_path: Path) -> None:
    expected = hashlib.sha256(DATA).hexdigest()
    path = tmp_path / "f.bin"
    path.write_bytes(DATA)

    assert sha256_bytes(DATA) == expected
    assert sha256_stream(BytesIO(DATA), chunk_size=4096) == expected
    assert sha256_file(path) == expected


def test_stream_hash_starts_at_current_position() -> None:
    stream = BytesIO(b"headerbody")
    stream.seek(6)
    assert sha256_stream(stream) == sha256_bytes(b"body")


def test_address_form() -> None:
    assert is_sha256_hex(sha256_bytes(b""))
    assert not is_sha256_hex(sha256_bytes(b"").upper())
    assert not is_sha256_hex("../../etc/passwd")
