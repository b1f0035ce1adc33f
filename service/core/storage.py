"""The one place that decides where stored bytes live: a local directory or an S3 bucket."""

from functools import lru_cache

from evidence.store import LocalStore, S3Store, Store
from service.core.settings import Settings


@lru_cache
def _store(root: str, bucket: str | None, endpoint: str | None, access: str | None, secret: str | None,
           region: str) -> Store:
    if bucket:
        return S3Store(bucket, endpoint_url=endpoint, access_key=access, secret_key=secret, region=region,
                       prefix="objects/")
    from pathlib import Path

    return LocalStore(Path(root) / "objects")


def get_store(settings: Settings) -> Store:
    return _store(str(settings.storage_dir), settings.s3_bucket, settings.s3_endpoint_url,
                  settings.s3_access_key, settings.s3_secret_key, settings.s3_region)
