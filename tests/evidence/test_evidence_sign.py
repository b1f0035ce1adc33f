import stat
from pathlib import Path

import pytest
from evidence_factories import make_image, make_pdf

from evidence.assemble import BatesOptions, Part, assemble
from evidence.errors import SigningError
from evidence.sign import ensure_dev_signing_pair, sign_pdf, verify_pdf_signature


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return ensure_dev_signing_pair(tmp_path / "keys")


@pytest.fixture
def packet(tmp_path: Path) -> Path:
    out = tmp_path / "packet.pdf"
    parts = [
        Part.from_pdf(make_pdf(tmp_path / "complaint.pdf", 3), "民事起诉状"),
        Part.from_images([make_image(tmp_path / "p.jpg", "JPEG", (300, 200))], "照片"),
    ]
    assemble(parts, out, bates=BatesOptions("ACME-"))
    return out


def test_dev_pair_is_created_once_and_kept_private(tmp_path: Path) -> None:
    key, cert = ensure_dev_signing_pair(tmp_path / "keys")
    first = (key.read_bytes(), cert.read_bytes())

    assert ensure_dev_signing_pair(tmp_path / "keys") == (key, cert)
    assert (key.read_bytes(), cert.read_bytes()) == first
    assert b"PRIVATE KEY" in first[0] and b"CERTIFICATE" in first[1]
    assert stat.S_IMODE(key.stat().st_mode) == 0o600


def test_signed_packet_validates(tmp_path: Path, packet: Path, keys: tuple[Path, Path]) -> None:
    signed = tmp_path / "signed.pdf"
    sign_pdf(packet, signed, *keys, reason="Litigation packet", location="Shanghai")

    trusted = verify_pdf_signature(signed, trust_root=keys[1])
    untrusted = verify_pdf_signature(signed)

    assert (trusted.signed, trusted.intact, trusted.valid, trusted.trusted) == (True,) * 4
    assert trusted.covers_whole_file
    assert trusted.field_name == "DossierSignature"
    assert trusted.signer is not None and "Dossier development signing" in trusted.signer
    assert trusted.signing_time is not None and trusted.signing_time.tzinfo is not None
    assert (untrusted.intact, untrusted.valid, untrusted.trusted) == (True, True, False)
    # Signing appends an incremental update: the assembled bytes are untouched.
    assert signed.read_bytes().startswith(packet.read_bytes())


def test_signature_is_pades(tmp_path: Path, packet: Path, keys: tuple[Path, Path]) -> None:
    signed = tmp_path / "signed.pdf"
    sign_pdf(packet, signed, *keys, reason="r", location="l", field_name="Sig1")
    assert b"/ETSI.CAdES.detached" in signed.read_bytes()
    assert verify_pdf_signature(signed).field_name == "Sig1"


def test_one_changed_byte_in_the_signed_range_breaks_it(
    tmp_path: Path, packet: Path, keys: tuple[Path, Path]
) -> None:
    signed = tmp_path / "signed.pdf"
    sign_pdf(packet, signed, *keys, reason="r", location="l")
    data = bytearray(signed.read_bytes())
    offsets = [data.index(b"ACME-") if b"ACME-" in data else None, data.index(b"stream") + 40]
    for offset in filter(None, offsets):
        changed = bytearray(data)
        changed[offset] ^= 0x01
        tampered = tmp_path / "tampered.pdf"
        tampered.write_bytes(bytes(changed))

        status = verify_pdf_signature(tampered, trust_root=keys[1])

        assert status.signed and not status.intact and not status.valid


def test_unsigned_pdf(packet: Path) -> None:
    status = verify_pdf_signature(packet)
    assert not status.signed and not status.intact


def test_bad_key_is_a_signing_error(tmp_path: Path, packet: Path, keys: tuple[Path, Path]) -> None:
    bogus = tmp_path / "bogus.pem"
    bogus.write_text("not a key")
    with pytest.raises(SigningError):
        sign_pdf(packet, tmp_path / "s.pdf", bogus, keys[1], reason="r", location="l")
    assert not (tmp_path / "s.pdf").exists()
