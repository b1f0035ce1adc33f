"""PAdES signatures on packets (pyHanko).

A development key and self-signed certificate are created on demand so every environment
can sign; production configures a real key and certificate with the same functions.
Signing is an incremental update, so the assembled bytes stay as they were and the
signature covers them.
"""

from __future__ import annotations

import datetime as dt
import os
import warnings
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from evidence.errors import SigningError

# pyHanko imports cryptography's DSA key types, which newer cryptography releases deprecate with a
# warning at import time: it is pyHanko's, not ours, and it printed under `dossier evidence
# verify`'s one-line answer. Silenced for these imports only.
with warnings.catch_warnings():
    warnings.filterwarnings("ignore", message="DSA is deprecated")
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign import fields, signers
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

DEV_KEY_NAME = "dev-signing-key.pem"
DEV_CERT_NAME = "dev-signing-cert.pem"
DEFAULT_FIELD = "DossierSignature"
_DEV_VALIDITY = dt.timedelta(days=3650)


@dataclass(frozen=True, slots=True)
class SignatureStatus:
    signed: bool  # the PDF carries at least one signature
    intact: bool  # the signed byte range still hashes to the signed digest
    valid: bool  # intact, and the signature value checks out against the certificate
    trusted: bool  # the certificate chains to the given trust root
    covers_whole_file: bool  # nothing was appended after signing
    signer: str | None = None
    field_name: str | None = None
    signing_time: dt.datetime | None = None
    detail: str = ""


UNSIGNED = SignatureStatus(False, False, False, False, False, detail="the PDF is not signed")


def ensure_dev_signing_pair(directory: Path) -> tuple[Path, Path]:
    """Return (key, certificate) PEM paths in `directory`, creating them the first time."""
    key_path, cert_path = directory / DEV_KEY_NAME, directory / DEV_CERT_NAME
    if key_path.is_file() and cert_path.is_file():
        return key_path, cert_path
    directory.mkdir(parents=True, exist_ok=True)
    key = ec.generate_private_key(ec.SECP256R1())
    _write_private(key_path, _key_pem(key))
    _write_private(cert_path, _self_signed(key).public_bytes(serialization.Encoding.PEM))
    return key_path, cert_path


def _key_pem(key: ec.EllipticCurvePrivateKey) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def _self_signed(key: ec.EllipticCurvePrivateKey) -> x509.Certificate:
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Dossier development"),
            x509.NameAttribute(NameOID.COMMON_NAME, "Dossier development signing"),
        ]
    )
    now = dt.datetime.now(dt.UTC)
    usage = x509.KeyUsage(
        digital_signature=True, content_commitment=True, key_encipherment=False,
        data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )  # fmt: skip
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + _DEV_VALIDITY)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(usage, critical=True)
        .sign(key, hashes.SHA256())
    )


def _write_private(path: Path, data: bytes) -> None:
    # Written next to the target and renamed, so a crash never leaves half a key behind.
    tmp = path.with_name(f".{path.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.replace(tmp, path)


def sign_pdf(
    in_path: Path,
    out_path: Path,
    key_path: Path,
    cert_path: Path,
    *,
    reason: str,
    location: str,
    field_name: str = DEFAULT_FIELD,
) -> None:
    """Write `in_path` with a PAdES baseline B-B signature to `out_path`."""
    try:
        signer = signers.SimpleSigner.load(str(key_path), str(cert_path))  # type: ignore[no-untyped-call]
    except (OSError, ValueError) as exc:
        raise SigningError(f"cannot load the signing key or certificate: {exc}") from exc
    if signer is None:
        raise SigningError("cannot load the signing key or certificate")
    meta = signers.PdfSignatureMetadata(
        field_name=field_name,
        reason=reason,
        location=location,
        subfilter=fields.SigSeedSubFilter.PADES,
        md_algorithm="sha256",
    )
    tmp = out_path.with_name(f".{out_path.name}.signing")
    try:
        with in_path.open("rb") as source, tmp.open("wb") as out:
            signers.sign_pdf(IncrementalPdfFileWriter(source), meta, signer=signer, output=out)
        os.replace(tmp, out_path)
    finally:
        tmp.unlink(missing_ok=True)


def verify_pdf_signature(path: Path, *, trust_root: Path | None = None) -> SignatureStatus:
    """Validate every signature in the PDF; return the first that fails, else the last.

    Without `trust_root` nothing is trusted, but integrity and the signature value are
    still checked.
    """
    roots = [load_cert_from_pemder(str(trust_root))] if trust_root else []  # type: ignore[no-untyped-call]
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        with path.open("rb") as stream:
            return _verify_all(PdfFileReader(stream, strict=False), context)
    except Exception as exc:  # whatever breaks the parser, the signed bytes are not intact
        return SignatureStatus(True, False, False, False, False, detail=f"unreadable: {exc}")


def _verify_all(reader: PdfFileReader, context: ValidationContext) -> SignatureStatus:
    statuses = [_status(sig, context) for sig in reader.embedded_signatures]
    if not statuses:
        return UNSIGNED
    failed = [status for status in statuses if not (status.intact and status.valid)]
    return (failed or statuses)[-1 if not failed else 0]


def _status(sig: object, context: ValidationContext) -> SignatureStatus:
    result = validate_pdf_signature(sig, signer_validation_context=context)  # type: ignore[arg-type]
    coverage = str(getattr(result.coverage, "name", ""))
    return SignatureStatus(
        signed=True,
        intact=bool(result.intact),
        valid=bool(result.intact and result.valid),
        trusted=bool(result.trusted),
        covers_whole_file=coverage == "ENTIRE_FILE",
        signer=result.signing_cert.subject.human_friendly if result.signing_cert else None,
        field_name=getattr(sig, "field_name", None),
        signing_time=result.signer_reported_dt,
        detail=result.summary(),
    )
