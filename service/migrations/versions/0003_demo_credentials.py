"""demo credentials: the demo's random keys and passwords, kept readable for the demo only

Revision ID: 0003
Revises: 0002
"""
import sqlalchemy as sa
from alembic import op

import service.core.db

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "demo_credential",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("name", sa.String(length=80), nullable=False),
        sa.Column("secret", sa.String(length=200), nullable=False),
        sa.Column("created_at", service.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_demo_credential")),
        sa.UniqueConstraint("kind", "name", name=op.f("uq_demo_credential_kind_name")),
    )


def downgrade() -> None:
    op.drop_table("demo_credential")
