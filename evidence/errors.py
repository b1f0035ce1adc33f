"""The library's error tree: one base class, one subclass per meaning.

Callers in `service/` map these onto their own `ServiceError`s; the library itself knows
nothing about HTTP.
"""

from __future__ import annotations

from enum import StrEnum


class EvidenceError(Exception):
    """Base class of every error raised on purpose by the evidence library."""


class StoreError(EvidenceError):
    """A content-addressed store could not complete an operation."""


class ObjectNotFound(StoreError):
    def __init__(self, sha256: str) -> None:
        super().__init__(f"no stored object {sha256}")
        self.sha256 = sha256


class IntegrityError(StoreError):
    """Stored bytes no longer hash to their address: the object was altered or damaged."""

    def __init__(self, sha256: str, actual: str) -> None:
        super().__init__(f"stored object {sha256} is corrupt: its bytes now hash to {actual}")
        self.sha256 = sha256
        self.actual = actual


class TooLarge(StoreError):
    def __init__(self, limit: int) -> None:
        super().__init__(f"upload exceeds the limit of {limit} bytes")
        self.limit = limit


class InvalidAddress(StoreError):
    def __init__(self, value: str) -> None:
        super().__init__(f"not a SHA-256 hex digest: {value!r}")
        self.value = value


class AssemblyError(EvidenceError):
    """A packet could not be assembled from its parts."""


class BundleError(EvidenceError):
    """A bundle could not be written (bad arcname, inconsistent manifest, size limits)."""


class SigningError(EvidenceError):
    """A PDF could not be signed."""


class RejectCode(StrEnum):
    """Why an upload was refused. Stable strings: API clients and the UI key on them."""

    EMPTY = "empty"
    TOO_LARGE = "too_large"
    BAD_FILENAME = "bad_filename"
    UNSUPPORTED_TYPE = "unsupported_type"
    EXECUTABLE = "executable"
    MARKUP = "markup"
    POLYGLOT = "polyglot"  # one file that is two formats: markup before or after a PDF
    EXTENSION_MISMATCH = "extension_mismatch"
    CORRUPT_PDF = "corrupt_pdf"
    ENCRYPTED_PDF = "encrypted_pdf"
    TOO_MANY_PAGES = "too_many_pages"
    OVERSIZED_STREAM = "oversized_stream"
    CORRUPT_IMAGE = "corrupt_image"
    IMAGE_TOO_LARGE = "image_too_large"
    CORRUPT_AUDIO = "corrupt_audio"
    NOT_TEXT = "not_text"


class UploadRejected(EvidenceError):
    """An upload failed validation; `message` says what is wrong in words a user can act on."""

    def __init__(self, code: RejectCode, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
