"""API keys and passwords: generated, hashed, checked in constant time."""

import hashlib
import hmac
import secrets
from enum import StrEnum

ROLES = ("admin", "legal_staff", "collector", "law_firm")


class Permission(StrEnum):
    """What some roles may do beyond reading a case. Files that identify the borrower in full
    (court documents, evidence as received, litigation packets) are for the people who take the
    case to court: a collection system gets a 403 naming the permission, not a masked copy, so
    no half-masked legal document ever exists (README: Roles and permissions)."""

    COURT_DOCUMENTS = "court_documents"
    EVIDENCE_ORIGINALS = "evidence_originals"
    BUILD_PACKET = "build_packet"
    DOWNLOAD_PACKET = "download_packet"


_LITIGATION_ROLES = frozenset({"admin", "legal_staff", "law_firm"})
PERMISSIONS: dict[Permission, frozenset[str]] = {
    Permission.COURT_DOCUMENTS: _LITIGATION_ROLES,
    Permission.EVIDENCE_ORIGINALS: _LITIGATION_ROLES,
    # Legal staff build a packet; the firm handling the case downloads it.
    Permission.BUILD_PACKET: frozenset({"admin", "legal_staff"}),
    Permission.DOWNLOAD_PACKET: _LITIGATION_ROLES,
}


def new_api_key() -> tuple[str, str, str]:
    """Return (full key shown once, lookup prefix, SHA-256 of the key)."""
    prefix = "dsk_" + secrets.token_hex(4)
    key = f"{prefix}.{secrets.token_urlsafe(24)}"
    return key, prefix, hash_key(key)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def key_matches(key: str, stored_hash: str) -> bool:
    return hmac.compare_digest(hash_key(key), stored_hash)


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        _, salt_hex, _digest_hex = stored.split("$")
    except ValueError:
        return False
    return hmac.compare_digest(hash_password(password, salt=bytes.fromhex(salt_hex)), stored)
