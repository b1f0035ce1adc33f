"""The demo's own credentials, kept readable so `dossier demo credentials` can show them again.

Only the demo does this: its keys and passwords are made at random when it is seeded and stored
here in plain text beside their hashes (api_key, app_user), for a person trying the product on
their own machine. Real keys are created with `dossier apikey create`, shown once, and only
their hash is kept.
"""

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from service.core.db import Base, UTCDateTime


class DemoCredential(Base):
    __tablename__ = "demo_credential"
    __table_args__ = (UniqueConstraint("kind", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # api_key | login
    name: Mapped[str] = mapped_column(String(80))  # the key's role, or the login's user name
    secret: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
