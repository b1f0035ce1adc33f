"""Pydantic I/O of the webhooks API."""

from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field, field_validator

from service.core.text import InputModel


class EventType(StrEnum):
    JOB_COMPLETED = "job.completed"
    JOB_FAILED = "job.failed"
    PLAN_BREACHED = "plan.breached"


class EndpointIn(InputModel):
    url: str = Field(max_length=500, description="http(s) URL that receives the POSTs",
                     examples=["https://collections.example.com/hooks/dossier"])
    event_types: list[EventType] = Field(min_length=1, max_length=len(EventType),
                                         examples=[["job.completed", "plan.breached"]])
    description: str = Field(default="", max_length=200)

    @field_validator("url")
    @classmethod
    def _http(cls, url: str) -> str:
        from urllib.parse import urlsplit

        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError("must be an http or https URL with a host")
        return url


class EndpointOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    url: str
    event_types: list[str]
    description: str
    owner: str
    created_at: datetime
    disabled_at: datetime | None


class EndpointCreated(EndpointOut):
    secret: str = Field(description="the signing secret (whsec_…), shown this once: verify each POST's "
                                    "webhook-signature with it (Standard Webhooks)")


class EndpointPage(BaseModel):
    items: list[EndpointOut]
    next_cursor: str | None


class DeliveryOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    endpoint_id: int
    message_id: str = Field(description="the webhook-id header: the same on every retry and replay")
    event_type: str
    status: str = Field(description="pending | sending | succeeded | failed")
    attempts: int
    next_attempt_at: datetime | None
    created_at: datetime
    finished_at: datetime | None


class DeliveryPage(BaseModel):
    items: list[DeliveryOut]
    next_cursor: str | None


class AttemptOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    delivery_id: int
    attempted_at: datetime
    status_code: int | None
    error: str
    response: str
    duration_ms: int


class AttemptPage(BaseModel):
    items: list[AttemptOut]
    next_cursor: str | None
