"""The one settings object. Every knob is a ``DOSSIER_*`` environment variable."""

from decimal import Decimal
from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="DOSSIER_", env_file=".env", extra="ignore")

    # Embedded defaults: a SQLite file and a local directory under ./var.
    database_url: str = f"sqlite:///{PROJECT_ROOT / 'var' / 'dossier.db'}"
    storage_dir: Path = PROJECT_ROOT / "var" / "store"
    templates_dir: Path = PROJECT_ROOT / "templates"

    # S3-compatible store (used instead of storage_dir when a bucket is set).
    s3_bucket: str | None = None
    s3_endpoint_url: str | None = None
    s3_access_key: str | None = None
    s3_secret_key: str | None = None
    s3_region: str = "us-east-1"

    executor: Literal["local", "celery"] = "local"
    broker_url: str = "redis://127.0.0.1:6379/0"
    # The queue workers take jobs from: deployments (or test runs) sharing one broker keep apart by it.
    celery_queue: str = "dossier"
    local_workers: int = 2
    # `serve --workers N`: uvicorn's supervisor pings each server process and kills one that does
    # not answer in time (its own default, 5 s). A process busy rendering on a loaded machine can
    # miss that, and was killed with requests in flight (the 32-writer test, load average 12):
    # a hung process is still replaced, after this long.
    worker_healthcheck_seconds: int = 60
    # A running job stamps its row this often; one silent for job_stale_seconds is taken for dead
    # (its worker killed) and sent again. Workers and the API process sweep for such jobs.
    job_heartbeat_seconds: float = 10.0
    job_stale_seconds: float = 120.0
    # On Celery, a notice batch longer than this is split into parts of about this many items,
    # which any worker claims (one batch then uses every worker's core, not one).
    batch_part_items: int = 500
    # A notice batch (or part) is built, rendered and recorded this many items at a time, and
    # each chunk commits with the job's progress: a worker holds two chunks at most, whatever
    # the batch's size, and a batch interrupted keeps the chunks it recorded (``documents.jobs``).
    batch_chunk_items: int = 250

    secret_key: str = "dev-only-change-me"
    # The audit chain's HMAC key, kept out of the database. Unset: a random key made once in
    # audit_key_file (back it up with the database; without it the trail cannot be verified).
    audit_key: SecretStr | None = None
    audit_key_file: Path = PROJECT_ROOT / "var" / "audit.key"
    default_timezone: str = "Asia/Shanghai"
    # Licensed lenders: courts cut total cost above this annual rate (法发〔2017〕22号).
    licensed_cost_cap: Decimal = Decimal("0.24")
    # A payment above the balance owed plus this is refused unless flagged as an overpayment.
    overpayment_tolerance: Decimal = Decimal("1.00")
    max_upload_bytes: int = 50 * 1024 * 1024
    # Any other request body (JSON): a batch of 20,000 notices is about 1.1 MB.
    max_body_bytes: int = 2 * 1024 * 1024
    # Rate limits (the `limits` library's notation); "async+redis://host" shares the counts
    # between processes, the default counts per process.
    rate_limit_storage: str = "async+memory://"
    rate_limit_per_key: str = "600/minute"
    rate_limit_per_address: str = "1200/minute"
    # Unfinished (queued or running) jobs one API key may have; past it a new job is a 429.
    max_active_jobs_per_key: int = 20
    # Failed authentications from one address before it is locked out for the rest of the window.
    auth_failure_limit: str = "20/15 minutes"
    # Web sign-in: consecutive failed passwords that lock an account, for how long; session length.
    login_failure_limit: int = 5
    login_lockout_minutes: int = 15
    web_session_hours: int = 12
    bates_position: Literal["bottom_right", "bottom_left", "top_right", "top_left", "bottom_center"] = "bottom_right"
    bates_digits: int = 6
    page_size: int = 50
    # Webhooks: one POST's time limit; the waits before each retry (then the delivery has failed);
    # how often the API process looks for deliveries due.
    webhook_timeout_seconds: float = 10.0
    webhook_backoff_seconds: list[int] = [5, 30, 120, 600, 3600, 6 * 3600]
    webhook_poll_seconds: float = 5.0
    # An Idempotency-Key held by a request that died is free for a retry after this long.
    idempotency_lease_seconds: int = 120


@lru_cache
def get_settings() -> Settings:
    return Settings()
