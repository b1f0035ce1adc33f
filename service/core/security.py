"""Who is acting. Every layer reads this (the audit trail's ``actor``, the role checks, case
visibility), so it lives in core; how a principal is authenticated is the access package's."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    """Who is acting: the audit trail's ``actor`` and the role checks both read this."""

    actor: str  # e.g. "apikey:dsk_ab12cd34" or "user:legal1"
    role: str
    law_firm_id: int | None = None

    @property
    def is_law_firm(self) -> bool:
        return self.role == "law_firm"


SYSTEM = Principal(actor="system", role="admin")
