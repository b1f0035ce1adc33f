import os
import stat
from io import BytesIO
from pathlib import Path

import pytest

from evidence.errors import IntegrityError, InvalidAddress, ObjectNotFound, TooLarge
from evidence.hashing import CHUNK_SIZE, sha256_bytes
from evidence.store import LocalStore


class RecordingReader:
    """A stream that records every read size, to prove the store reads in chunks."""

    def __init__(self, data: bytes) -> None:
        self._inner = BytesIO(data)
        self.sizes: list[int] = []

    def read(self, size: int = -1) -> bytes:
        self.sizes.append(size)
        return self._inner.read(size)


def all_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def tamper(path: Path, offset: int = 0) -> None:
    path.chmod(0o644)
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    path.write_bytes(bytes(data))


def test_put_bytes_is_content_addressed_and_read_only(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    stored = store.put_bytes(b"loan contract")

    path = store.path_for(stored.sha256)
    assert stored.sha256 == sha256_bytes(b"loan contract")
    assert stored.size == len(b"loan contract")
    assert path == tmp_path / "store" / stored.sha256[:2] / stored.sha256[2:4] / stored.sha256
    assert path.read_bytes() == b"loan contract"
    assert stat.S_IMODE(path.stat().st_mode) == 0o444
    assert store.exists(stored.sha256)


def test_same_content_is_stored_once(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    source = tmp_path / "upload.pdf"
    source.write_bytes(b"%PDF- same bytes")

    first = store.put_file(source)
    second = store.put_bytes(b"%PDF- same bytes")

    assert first == second
    stored_files = [p for p in all_files(tmp_path) if p != source]
    assert stored_files == [store.path_for(first.sha256)]


def test_put_stream_reads_in_chunks(tmp_path: Path) -> None:
    data = os.urandom(3 * CHUNK_SIZE + 17)
    reader = RecordingReader(data)

    stored = LocalStore(tmp_path).put_stream(reader, max_bytes=None)  # type: ignore[arg-type]

    assert stored.sha256 == sha256_bytes(data)
    assert set(reader.sizes) == {CHUNK_SIZE}


def test_limit_refuses_and_leaves_no_temporary_file(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(TooLarge) as refused:
        store.put_stream(BytesIO(b"x" * (CHUNK_SIZE * 2)), max_bytes=CHUNK_SIZE + 5)

    assert refused.value.limit == CHUNK_SIZE + 5
    assert all_files(tmp_path) == []


def test_exactly_the_limit_is_accepted(tmp_path: Path) -> None:
    stored = LocalStore(tmp_path).put_stream(BytesIO(b"12345"), max_bytes=5)
    assert stored.size == 5


@pytest.mark.parametrize("reader", ["read_bytes", "open", "copy_to"])
def test_every_read_rechecks_the_hash(tmp_path: Path, reader: str) -> None:
    store = LocalStore(tmp_path / "store")
    stored = store.put_bytes(b"repayment schedule v1")
    tamper(store.path_for(stored.sha256), offset=3)
    dest = tmp_path / "out.bin"

    with pytest.raises(IntegrityError, match=stored.sha256) as caught:
        if reader == "read_bytes":
            store.read_bytes(stored.sha256)
        elif reader == "open":
            store.open(stored.sha256)
        else:
            store.copy_to(stored.sha256, dest)

    assert caught.value.sha256 == stored.sha256
    assert not dest.exists()
    assert list(tmp_path.glob(".out.bin*")) == []


def test_intact_reads_return_the_bytes(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "store")
    stored = store.put_bytes(b"statement of account")
    dest = tmp_path / "copy.bin"

    store.copy_to(stored.sha256, dest)
    with store.open(stored.sha256) as stream:
        opened = stream.read()

    assert store.read_bytes(stored.sha256) == opened == dest.read_bytes() == b"statement of account"


def test_damaged_object_is_repaired_by_a_new_upload(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    stored = store.put_bytes(b"visit record")
    path = store.path_for(stored.sha256)
    path.chmod(0o644)
    path.write_bytes(b"visit")  # truncated on disk

    store.put_bytes(b"visit record")

    assert store.read_bytes(stored.sha256) == b"visit record"


def test_missing_and_malformed_addresses(tmp_path: Path) -> None:
    store = LocalStore(tmp_path)
    with pytest.raises(ObjectNotFound):
        store.read_bytes(sha256_bytes(b"never stored"))
    with pytest.raises(InvalidAddress):
        store.read_bytes("../../etc/passwd")
    assert not store.exists(sha256_bytes(b"never stored"))


def test_local_store_lists_and_deletes(tmp_path: Path) -> None:
    from evidence.store import LocalStore

    store = LocalStore(tmp_path / "objects")
    a = store.put_bytes(b"first").sha256
    b = store.put_bytes(b"second").sha256
    listed = {e.sha256: e.stored_at for e in store.addresses()}
    assert set(listed) == {a, b} and all(t.tzinfo is not None for t in listed.values())
    store.delete(a)
    store.delete(a)  # absent is not an error
    assert not store.exists(a) and store.exists(b)


def test_put_many_stores_each_object_once_in_order(tmp_path: Path) -> None:
    store = LocalStore(tmp_path / "objects")
    earlier = store.put_bytes(b"already here")
    blobs = [b"first", b"already here", b"second", b"first"]
    stored = store.put_many(blobs)
    assert [s.sha256 for s in stored] == [sha256_bytes(b) for b in blobs]
    assert stored[1] == earlier and [s.size for s in stored] == [5, 12, 6, 5]
    assert all(store.read_bytes(s.sha256) == b for s, b in zip(stored, blobs, strict=True))
    assert sorted(p.name for p in (tmp_path / "objects").rglob("*") if p.is_file()) == \
        sorted({s.sha256 for s in stored})  # three objects, no temporary file left behind
    assert store.put_many([]) == []
