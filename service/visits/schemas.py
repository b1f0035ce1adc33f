"""Visit-kit I/O."""

from service.core.dates import BusinessDate
from service.core.text import InputModel


class VisitKitIn(InputModel):
    as_of: BusinessDate | None = None  # the kit's date (balances are stated for the visit day)
