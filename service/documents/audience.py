"""Who reads a document, which decides what of the case it may show (CN-04, CN-12, US-13)."""

from enum import StrEnum


class Audience(StrEnum):
    BORROWER = "borrower"  # masked ID, phone and accounts (CN-12)
    THIRD_PARTY = "third_party"  # may be seen by others: no debt data at all (CN-04, CN-12)
    COURT = "court"  # full identity (民诉法 art. 124), access-controlled
    INTERNAL = "internal"  # staff only
