"""Content-addressed storage of evidence and generated files.

An object's address is the SHA-256 of its bytes, so storing the same content twice keeps one
copy, and every read re-hashes the bytes: an object altered on disk or in the bucket is
reported as an `IntegrityError` instead of being handed to a court.

Writes stream through a temporary file while hashing, so an upload never has to fit in memory
and a refused upload (too large, interrupted) leaves nothing behind.
"""

from __future__ import annotations

import hashlib
import os
import stat
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack, contextmanager, suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from io import BytesIO
from pathlib import Path
from typing import IO, Any, BinaryIO, Protocol, TypeVar

from evidence.errors import IntegrityError, InvalidAddress, ObjectNotFound, TooLarge
from evidence.hashing import CHUNK_SIZE, is_sha256_hex

# Stored objects are immutable: read-only for everybody, including the service itself.
_READ_ONLY = 0o444
_TEMP_PREFIX = ".incoming-"

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class StoredObject:
    sha256: str
    size: int


@dataclass(frozen=True, slots=True)
class StoredEntry:
    sha256: str
    stored_at: datetime  # aware UTC


class Store(Protocol):
    """What `service/` relies on, whichever backend is configured."""

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None) -> StoredObject: ...

    def put_bytes(self, data: bytes) -> StoredObject: ...

    def put_many(self, blobs: Sequence[bytes], *, sha256s: Sequence[str] | None = None) -> list[StoredObject]:
        """Each of `blobs`, in order, durable together (group commit): as ``put_bytes`` for each.
        `sha256s`: the blobs' digests, when the caller computed them from these very bytes (the
        renderer does, where it makes them): not computed a second time. Pass nothing else: an
        object stored under an address that is not its digest is reported on every read."""
        ...

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> StoredObject: ...

    def exists(self, sha256: str) -> bool: ...

    def open(self, sha256: str) -> IO[bytes]:
        """A stream positioned at 0 whose bytes were verified against the address."""
        ...

    def read_bytes(self, sha256: str) -> bytes: ...

    def copy_to(self, sha256: str, dest: Path) -> None:
        """Write the verified object to `dest`; `dest` appears only if the bytes are intact."""
        ...

    def addresses(self) -> Iterator[StoredEntry]:
        """Every stored object with the time it was stored (for garbage collection)."""
        ...

    def delete(self, sha256: str) -> None:
        """Remove an object nothing refers to any more; absent objects are not an error."""
        ...


class Readable(Protocol):
    def read(self, size: int = ..., /) -> bytes: ...


class Writable(Protocol):
    def write(self, data: bytes, /) -> int: ...


def copy_hashing(src: Readable, dst: Writable, *, max_bytes: int | None) -> StoredObject:
    """Copy `src` to `dst` in chunks, hashing on the way; refuse past `max_bytes`."""
    digest = hashlib.sha256()
    size = 0
    while chunk := src.read(CHUNK_SIZE):
        size += len(chunk)
        if max_bytes is not None and size > max_bytes:
            raise TooLarge(max_bytes)
        digest.update(chunk)
        dst.write(chunk)
    return StoredObject(digest.hexdigest(), size)


def check_address(sha256: str) -> str:
    # The address becomes a path or an object key: anything but 64 hex digits is refused
    # before it can name something outside the store.
    if not is_sha256_hex(sha256):
        raise InvalidAddress(sha256)
    return sha256


def verify_copy(src: Readable, sha256: str, dst: Writable) -> None:
    """Copy and raise `IntegrityError` if the copied bytes do not hash to `sha256`."""
    copied = copy_hashing(src, dst, max_bytes=None)
    if copied.sha256 != sha256:
        raise IntegrityError(sha256, copied.sha256)


def copy_verified_to_path(src: Readable, sha256: str, dest: Path) -> None:
    """Copy into a temporary sibling of `dest`, verify, then rename into place."""
    with _temp_file(dest.parent, prefix=f".{dest.name}.") as (tmp, out):
        verify_copy(src, sha256, out)
        out.close()
        os.replace(tmp, dest)


@contextmanager
def _temp_file(directory: Path, *, prefix: str) -> Iterator[tuple[Path, IO[bytes]]]:
    """A temporary file in `directory` (so a rename is atomic), removed unless renamed."""
    fd, name = tempfile.mkstemp(prefix=prefix, dir=directory)
    tmp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield tmp, out
    finally:
        tmp.unlink(missing_ok=True)


class LocalStore:
    """Objects live at `root/ab/cd/<sha256>`, read-only."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._root_text = str(root)
        root.mkdir(parents=True, exist_ok=True)

    def path_for(self, sha256: str) -> Path:
        check_address(sha256)
        return self.root / sha256[:2] / sha256[2:4] / sha256

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None) -> StoredObject:
        with _temp_file(self.root, prefix=_TEMP_PREFIX) as (tmp, out):
            stored = copy_hashing(stream, out, max_bytes=max_bytes)
            out.flush()
            os.fsync(out.fileno())
            out.close()
            self._commit(tmp, stored)
        return stored

    def put_bytes(self, data: bytes) -> StoredObject:
        return self.put_stream(BytesIO(data), max_bytes=None)

    def put_many(self, blobs: Sequence[bytes], *, sha256s: Sequence[str] | None = None) -> list[StoredObject]:
        """Group commit: every new object is written to its temporary file, then all are synced
        at once (concurrent fsyncs share the filesystem's journal commits: ~0.35 ms an object
        instead of ~1.8 ms one after another, on this project's ext4), then renamed into place.
        An object already stored, or twice in `blobs`, is written once.

        A notice batch stores hundreds of objects a chunk, so this is done with the operating
        system's calls (no ``Path`` objects, one ``stat`` an object, temporary files named after
        the object rather than by ``mkstemp``, created read-only), not through ``put_stream``."""
        digests = list(sha256s) if sha256s is not None else [hashlib.sha256(data).hexdigest() for data in blobs]
        if len(digests) != len(blobs):
            raise ValueError(f"{len(blobs)} objects, {len(digests)} digests")
        stored = [StoredObject(check_address(sha256), len(data)) for sha256, data in zip(digests, blobs, strict=True)]
        new: dict[str, bytes] = {}
        for obj, data in zip(stored, blobs, strict=True):
            if obj.sha256 not in new and not self._present_at(self._path_text(obj.sha256), obj.size):
                new[obj.sha256] = data
        temps: list[tuple[int, str, str]] = []  # (fd, temporary path, sha256), the fd -1 once closed
        try:
            for sha256, data in new.items():
                fd, tmp = self._create_temp(sha256)
                temps.append((fd, tmp, sha256))
                _write_all(fd, data)
            if len(temps) > 1:
                with ThreadPoolExecutor(max_workers=min(16, len(temps))) as sync:
                    list(sync.map(os.fsync, [fd for fd, _, _ in temps]))
            elif temps:
                os.fsync(temps[0][0])
            for n, (fd, tmp, sha256) in enumerate(temps):
                os.close(fd)
                temps[n] = (-1, tmp, sha256)
                final = self._path_text(sha256)
                try:
                    os.replace(tmp, final)
                except FileNotFoundError:  # the object's directory is not there yet
                    os.makedirs(os.path.dirname(final), exist_ok=True)
                    os.replace(tmp, final)
                temps[n] = (-1, "", sha256)
        finally:
            for fd, tmp, _ in temps:
                if fd >= 0:
                    os.close(fd)
                if tmp:
                    with suppress(FileNotFoundError):
                        os.unlink(tmp)
        return stored

    def _path_text(self, sha256: str) -> str:
        return os.path.join(self._root_text, sha256[:2], sha256[2:4], sha256)

    @staticmethod
    def _present_at(path: str, size: int) -> bool:
        try:
            found = os.stat(path)
        except FileNotFoundError:
            return False
        return stat.S_ISREG(found.st_mode) and found.st_size == size

    def _create_temp(self, sha256: str) -> tuple[int, str]:
        """A new, read-only temporary file for the object, open for writing (the mode applies to
        later opens, not this one), beside the objects so the rename into place is atomic."""
        tmp = os.path.join(self._root_text, f"{_TEMP_PREFIX}{sha256}.{os.getpid()}.{threading.get_ident()}")
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
        try:
            return os.open(tmp, flags, _READ_ONLY), tmp
        except FileExistsError:  # left by a process that died with this id: take a fresh name
            fd, name = tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=self._root_text)
            os.fchmod(fd, _READ_ONLY)
            return fd, name

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> StoredObject:
        with path.open("rb") as stream:
            return self.put_stream(stream, max_bytes=max_bytes)

    def exists(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    def _present(self, stored: StoredObject) -> bool:
        final = self.path_for(stored.sha256)
        return final.is_file() and final.stat().st_size == stored.size

    def open(self, sha256: str) -> IO[bytes]:
        # Hash through the same handle we return: a concurrent replacement of the path cannot
        # slip unverified bytes in between the check and the read.
        stream = self._open_raw(sha256)
        try:
            verify_copy(stream, sha256, _NullSink())
            stream.seek(0)
        except BaseException:
            stream.close()
            raise
        return stream

    def read_bytes(self, sha256: str) -> bytes:
        with self._open_raw(sha256) as stream:
            data = stream.read()
        actual = hashlib.sha256(data).hexdigest()
        if actual != sha256:
            raise IntegrityError(sha256, actual)
        return data

    def copy_to(self, sha256: str, dest: Path) -> None:
        with self._open_raw(sha256) as stream:
            copy_verified_to_path(stream, sha256, dest)

    def addresses(self) -> Iterator[StoredEntry]:
        for path in self.root.glob("??/??/*"):
            if path.is_file() and is_sha256_hex(path.name):
                yield StoredEntry(path.name, datetime.fromtimestamp(path.stat().st_mtime, tz=UTC))

    def delete(self, sha256: str) -> None:
        self.path_for(sha256).unlink(missing_ok=True)  # read-only files unlink: the directory decides

    def _open_raw(self, sha256: str) -> IO[bytes]:
        try:
            return self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise ObjectNotFound(sha256) from None

    def _commit(self, tmp: Path, stored: StoredObject) -> None:
        final = self.path_for(stored.sha256)
        # Same address and same size: the content is already here. A different size means
        # the stored copy was damaged, and the fresh upload repairs it.
        if self._present(stored):
            return
        final.parent.mkdir(parents=True, exist_ok=True)
        tmp.chmod(_READ_ONLY)
        os.replace(tmp, final)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


class _NullSink:
    """A write-only stream that discards its input, for hashing without copying."""

    def write(self, data: bytes) -> int:
        return len(data)


def spooled_upload(stream: Readable, *, max_bytes: int | None) -> tuple[IO[bytes], StoredObject]:
    """Spool `stream` to a temporary file while hashing it, for backends that need the hash
    (the object key) before they can start the upload."""
    return filled_spool(lambda spool: copy_hashing(stream, spool, max_bytes=max_bytes))


def filled_spool(fill: Callable[[IO[bytes]], T]) -> tuple[IO[bytes], T]:
    """A spooled temporary file filled by `fill` and rewound; closed again if `fill` fails,
    otherwise owned by the caller."""
    with ExitStack() as on_error:
        spool = on_error.enter_context(tempfile.SpooledTemporaryFile(max_size=_SPOOL_IN_MEMORY))
        result = fill(spool)
        spool.seek(0)
        on_error.pop_all()
        return spool, result


# Small objects stay in memory while spooling; larger ones go to a temporary file.
_SPOOL_IN_MEMORY = 8 * 1024 * 1024


class S3Store:
    """Objects live at `prefix + sha256` in an S3-compatible bucket (AWS, MinIO, Ceph...)."""

    def __init__(
        self,
        bucket: str,
        *,
        endpoint_url: str | None = None,
        access_key: str | None = None,
        secret_key: str | None = None,
        region: str | None = None,
        prefix: str = "",
        client: Any = None,
    ) -> None:
        self.bucket = bucket
        self.prefix = prefix
        self._client = client or _make_s3_client(endpoint_url, access_key, secret_key, region)

    def key_for(self, sha256: str) -> str:
        return self.prefix + check_address(sha256)

    def put_stream(self, stream: BinaryIO, *, max_bytes: int | None) -> StoredObject:
        spool, stored = spooled_upload(stream, max_bytes=max_bytes)
        with spool:
            if not self.exists(stored.sha256):
                self._client.upload_fileobj(
                    spool,
                    self.bucket,
                    self.key_for(stored.sha256),
                    ExtraArgs={"Metadata": {"sha256": stored.sha256}},
                )
        return stored

    def put_bytes(self, data: bytes) -> StoredObject:
        return self.put_stream(BytesIO(data), max_bytes=None)

    def put_many(self, blobs: Sequence[bytes], *, sha256s: Sequence[str] | None = None) -> list[StoredObject]:
        """Uploads in parallel (the client is thread-safe); an object twice in `blobs` once.
        (Each upload hashes its bytes as ``put_bytes`` does: `sha256s` is not needed here.)"""
        unique = {hashlib.sha256(data).hexdigest(): data for data in blobs}
        with ThreadPoolExecutor(max_workers=min(8, len(unique) or 1)) as upload:
            done = {obj.sha256: obj for obj in upload.map(self.put_bytes, unique.values())}
        return [done[hashlib.sha256(data).hexdigest()] for data in blobs]

    def put_file(self, path: Path, *, max_bytes: int | None = None) -> StoredObject:
        with path.open("rb") as stream:
            return self.put_stream(stream, max_bytes=max_bytes)

    def exists(self, sha256: str) -> bool:
        try:
            self._client.head_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except self._client.exceptions.ClientError as exc:
            if _is_not_found(exc):
                return False
            raise
        return True

    def open(self, sha256: str) -> IO[bytes]:
        # The bucket is outside our control: download into a spool, verify, then hand out
        # the spool, so the caller only ever sees bytes that matched the address.
        spool, _ = filled_spool(lambda spool: self._download_verified(sha256, spool))
        return spool

    def _download_verified(self, sha256: str, spool: IO[bytes]) -> None:
        with self._get_body(sha256) as body:
            verify_copy(body, sha256, spool)

    def read_bytes(self, sha256: str) -> bytes:
        with self.open(sha256) as stream:
            return stream.read()

    def copy_to(self, sha256: str, dest: Path) -> None:
        with self._get_body(sha256) as body:
            copy_verified_to_path(body, sha256, dest)

    def addresses(self) -> Iterator[StoredEntry]:
        pages = self._client.get_paginator("list_objects_v2").paginate(Bucket=self.bucket, Prefix=self.prefix)
        for page in pages:
            for item in page.get("Contents", []):
                name = str(item["Key"])[len(self.prefix):]
                if is_sha256_hex(name):
                    yield StoredEntry(name, item["LastModified"].astimezone(UTC))

    def delete(self, sha256: str) -> None:
        self._client.delete_object(Bucket=self.bucket, Key=self.key_for(sha256))

    @contextmanager
    def _get_body(self, sha256: str) -> Iterator[Readable]:
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self.key_for(sha256))
        except self._client.exceptions.ClientError as exc:
            if _is_not_found(exc):
                raise ObjectNotFound(sha256) from None
            raise
        body = response["Body"]
        try:
            yield body
        finally:
            body.close()


def _make_s3_client(
    endpoint_url: str | None, access_key: str | None, secret_key: str | None, region: str | None
) -> Any:
    import boto3  # imported here: only deployments that configure S3 pay for boto3
    from botocore.config import Config

    return boto3.client(
        "s3",
        endpoint_url=endpoint_url,
        aws_access_key_id=access_key,
        aws_secret_access_key=secret_key,
        region_name=region,
        # Path-style addressing works with MinIO and other self-hosted endpoints too.
        config=Config(s3={"addressing_style": "path"}, retries={"max_attempts": 5}),
    )


def _is_not_found(exc: Exception) -> bool:
    error = getattr(exc, "response", {}).get("Error", {})
    return str(error.get("Code")) in {"404", "NoSuchKey", "NotFound"}
