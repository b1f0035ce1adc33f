"""S3Store against moto's server on loopback: the one fake at an edge we cannot run here."""

from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import boto3
import pytest
from moto.server import ThreadedMotoServer

from evidence.errors import IntegrityError, ObjectNotFound, TooLarge
from evidence.hashing import sha256_bytes
from evidence.store import S3Store

CREDENTIALS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def store(endpoint: str, request: pytest.FixtureRequest) -> S3Store:
    bucket = f"evidence-{request.node.name.replace('_', '-')[:40].lower()}"
    raw = boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
        region_name="us-east-1",
    )
    raw.create_bucket(Bucket=bucket)
    return S3Store(bucket, endpoint_url=endpoint, prefix="objects/", **CREDENTIALS)


def keys(store: S3Store) -> list[str]:
    listing = store._client.list_objects_v2(Bucket=store.bucket)
    return sorted(item["Key"] for item in listing.get("Contents", []))


def test_round_trip_and_dedupe(store: S3Store, tmp_path: Path) -> None:
    first = store.put_bytes(b"disbursement record")
    second = store.put_stream(BytesIO(b"disbursement record"), max_bytes=100)
    dest = tmp_path / "copy.bin"

    store.copy_to(first.sha256, dest)

    assert first == second
    assert first.sha256 == sha256_bytes(b"disbursement record")
    assert keys(store) == [f"objects/{first.sha256}"]
    assert store.read_bytes(first.sha256) == dest.read_bytes() == b"disbursement record"
    assert store.exists(first.sha256)


def test_limit_refuses_before_upload(store: S3Store) -> None:
    with pytest.raises(TooLarge):
        store.put_stream(BytesIO(b"x" * 1000), max_bytes=999)
    assert keys(store) == []


def test_altered_object_in_bucket_is_detected(store: S3Store, tmp_path: Path) -> None:
    stored = store.put_bytes(b"call log")
    store._client.put_object(
        Bucket=store.bucket, Key=store.key_for(stored.sha256), Body=b"cal1 log"
    )
    dest = tmp_path / "copy.bin"

    with pytest.raises(IntegrityError, match=stored.sha256):
        store.read_bytes(stored.sha256)
    with pytest.raises(IntegrityError):
        store.open(stored.sha256)
    with pytest.raises(IntegrityError):
        store.copy_to(stored.sha256, dest)
    assert not dest.exists()


def test_missing_object(store: S3Store) -> None:
    absent = sha256_bytes(b"absent")
    assert not store.exists(absent)
    with pytest.raises(ObjectNotFound):
        store.read_bytes(absent)


def test_lists_and_deletes(store: S3Store) -> None:
    a = store.put_bytes(b"first object").sha256
    b = store.put_bytes(b"second object").sha256
    listed = {e.sha256: e.stored_at for e in store.addresses()}
    assert {a, b} <= set(listed) and all(t.tzinfo is not None for t in listed.values())
    store.delete(a)
    assert not store.exists(a) and store.exists(b)
