"""API keys, passwords (argon2id) and web session tokens: generated, hashed, checked in constant time."""

import hashlib
import hmac
import secrets
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

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


_HASHER = PasswordHasher()  # argon2id with the library's current parameters (RFC 9106 profile)


def hash_password(password: str) -> str:
    return _HASHER.hash(password)


def password_matches(password: str, stored: str) -> bool:
    """Constant-time check of an argon2 hash; a hash in the former scrypt format still verifies
    (``needs_rehash`` then tells the caller to store an argon2 hash)."""
    if stored.startswith("scrypt$"):
        return _scrypt_matches(password, stored)
    try:
        return _HASHER.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(stored: str) -> bool:
    return stored.startswith("scrypt$") or _HASHER.check_needs_rehash(stored)


def _scrypt_matches(password: str, stored: str) -> bool:
    try:
        _, salt_hex, digest_hex = stored.split("$")
        digest = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt_hex), n=2**14, r=8, p=1)
    except ValueError:
        return False
    return hmac.compare_digest(digest.hex(), digest_hex)


def new_session_token() -> tuple[str, str]:
    """Return (token for the cookie, SHA-256 kept in the database): a stolen table opens no session."""
    token = secrets.token_urlsafe(32)
    return token, hash_key(token)
