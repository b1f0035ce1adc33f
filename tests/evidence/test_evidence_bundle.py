import datetime as dt
import hashlib
import json
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from evidence_factories import jpeg_bytes, make_pdf

from evidence.bundle import BundleFile, Problem, ProblemCode, verify_bundle, write_bundle
from evidence.errors import BundleError
from evidence.hashing import sha256_bytes, sha256_file
from evidence.sign import ensure_dev_signing_pair, sign_pdf

AS_OF = dt.datetime(2025, 3, 1, 9, 30, tzinfo=dt.UTC)


def sample_inputs(tmp_path: Path) -> tuple[Path, list[BundleFile], dict[str, Any]]:
    packet = make_pdf(tmp_path / "packet-src.pdf", 2, text="Packet")
    complaint = tmp_path / "complaint.docx"
    complaint.write_bytes(b"PK\x03\x04 not really a docx, but bytes are bytes")
    contract = make_pdf(tmp_path / "contract.pdf", 1, text="Contract")
    photo = tmp_path / "photo.jpg"
    photo.write_bytes(jpeg_bytes())
    files = [
        BundleFile("pleadings/civil_complaint.docx", complaint),
        BundleFile("originals/1-借款合同.pdf", contract),
        BundleFile("originals/2-走访照片.jpg", photo),
    ]
    manifest = {
        "case_ref": "CASE-2025-0001",
        "items": [
            {"path": f.arcname, "sha256": sha256_file(f.path), "title": f.arcname.split("/")[-1]}
            for f in files[1:]
        ],
    }
    return packet, files, manifest


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    packet, files, manifest = sample_inputs(tmp_path)
    out = tmp_path / "bundle.zip"
    write_bundle(out, packet_pdf=packet, files=files, manifest=manifest, as_of=AS_OF)
    return out


def codes(problems: list[Problem]) -> set[tuple[str, str]]:
    return {(problem.code.value, problem.path) for problem in problems}


def test_pristine_bundle_verifies(bundle: Path) -> None:
    assert verify_bundle(bundle) == []
    assert verify_bundle(bundle, expected_sha256=sha256_file(bundle)) == []


def test_layout_and_listings(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        names = archive.namelist()
        manifest_text = archive.read("manifest.json").decode("utf-8")
        infos = archive.infolist()

    assert names == sorted(names)
    assert set(names) == {
        "SHA256SUMS",
        "manifest.json",
        "originals/1-借款合同.pdf",
        "originals/2-走访照片.jpg",
        "packet.pdf",
        "pleadings/civil_complaint.docx",
    }
    assert "借款合同" in manifest_text  # UTF-8, not \\u escapes
    assert manifest_text == json.dumps(json.loads(manifest_text), indent=2, sort_keys=True,
                                       ensure_ascii=False) + "\n"  # fmt: skip
    assert {info.date_time for info in infos} == {(2025, 3, 1, 9, 30, 0)}
    assert {info.external_attr >> 16 for info in infos} == {0o100644}


def test_sha256sums_is_checked_by_the_real_tool(bundle: Path, tmp_path: Path) -> None:
    target = tmp_path / "extracted"
    subprocess.run(["unzip", "-q", str(bundle), "-d", str(target)], check=True)
    result = subprocess.run(
        ["sha256sum", "--check", "--strict", "SHA256SUMS"],
        cwd=target,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    listed = [line.split("  ", 1)[1] for line in (target / "SHA256SUMS").read_text().splitlines()]
    assert listed == sorted(p.relative_to(target).as_posix() for p in target.rglob("*")
                            if p.is_file() and p.name != "SHA256SUMS")  # fmt: skip


def test_same_inputs_give_the_same_bytes(tmp_path: Path) -> None:
    packet, files, manifest = sample_inputs(tmp_path)
    first, second, later = tmp_path / "1.zip", tmp_path / "2.zip", tmp_path / "3.zip"

    digest = write_bundle(first, packet_pdf=packet, files=files, manifest=manifest)
    again = write_bundle(second, packet_pdf=packet, files=list(reversed(files)), manifest=manifest)
    write_bundle(later, packet_pdf=packet, files=files, manifest=manifest, as_of=AS_OF)

    assert first.read_bytes() == second.read_bytes()
    assert digest == again == sha256_file(first)
    assert later.read_bytes() != first.read_bytes()
    with zipfile.ZipFile(first) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


def member_spans(bundle: Path) -> dict[str, tuple[int, int]]:
    """Where each member's data sits in the file."""
    spans = {}
    with zipfile.ZipFile(bundle) as archive:
        for info in archive.infolist():
            start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
            spans[info.filename] = (start, start + info.file_size)
    return spans


def flipped(bundle: Path, offset: int, out: Path) -> Path:
    data = bytearray(bundle.read_bytes())
    data[offset] ^= 0x20
    out.write_bytes(bytes(data))
    return out


def test_one_changed_byte_in_any_member_is_named(bundle: Path, tmp_path: Path) -> None:
    spans = member_spans(bundle)
    assert len(spans) == 6
    for name, (start, end) in spans.items():
        for offset in (start, (start + end) // 2, end - 1):
            problems = verify_bundle(flipped(bundle, offset, tmp_path / "t.zip"))
            assert (ProblemCode.ALTERED.value, name) in codes(problems), (name, offset)


def test_any_changed_byte_of_the_archive_is_detected(bundle: Path, tmp_path: Path) -> None:
    size = bundle.stat().st_size
    undetected = [
        offset
        for offset in range(size)
        if verify_bundle(flipped(bundle, offset, tmp_path / "t.zip")) == []
    ]
    assert undetected == []


def test_appended_or_truncated_archive(bundle: Path, tmp_path: Path) -> None:
    data = bundle.read_bytes()
    appended = tmp_path / "appended.zip"
    appended.write_bytes(data + b"\x00")
    truncated = tmp_path / "truncated.zip"
    truncated.write_bytes(data[:-1])

    assert verify_bundle(appended) != []
    assert [p.code for p in verify_bundle(truncated)] == [ProblemCode.UNREADABLE]


def rezip(bundle: Path, out: Path, *, drop: str = "", add: dict[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(bundle) as source, zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            if info.filename != drop:
                target.writestr(info.filename, source.read(info))
        for name, data in (add or {}).items():
            target.writestr(name, data)
    return out


def test_missing_and_extra_members_are_named(bundle: Path, tmp_path: Path) -> None:
    missing = verify_bundle(rezip(bundle, tmp_path / "m.zip", drop="originals/2-走访照片.jpg"))
    extra = verify_bundle(rezip(bundle, tmp_path / "e.zip", add={"originals/9-x.pdf": b"%PDF"}))

    assert {("missing", "originals/2-走访照片.jpg")} <= codes(missing)
    assert {("extra", "originals/9-x.pdf")} <= codes(extra)


@pytest.mark.parametrize("listing", ["SHA256SUMS", "manifest.json", "packet.pdf"])
def test_missing_listing_or_packet(bundle: Path, tmp_path: Path, listing: str) -> None:
    problems = verify_bundle(rezip(bundle, tmp_path / "m.zip", drop=listing))
    assert ("missing", listing) in codes(problems)


def test_manifest_hash_disagreeing_with_member(bundle: Path, tmp_path: Path) -> None:
    with zipfile.ZipFile(bundle) as archive:
        manifest = json.loads(archive.read("manifest.json"))
    manifest["items"][0]["sha256"] = sha256_bytes(b"something else")
    text = (json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()
    out = rezip(bundle, tmp_path / "x.zip", drop="manifest.json", add={"manifest.json": text})
    # SHA256SUMS made consistent again, so only the manifest can tell.
    with zipfile.ZipFile(out) as archive:
        sums = "".join(
            f"{hashlib.sha256(archive.read(n)).hexdigest()}  {n}\n"
            for n in sorted(archive.namelist())
            if n != "SHA256SUMS"
        )
    out = rezip(out, tmp_path / "y.zip", drop="SHA256SUMS", add={"SHA256SUMS": sums.encode()})

    problems = verify_bundle(out)
    assert ("manifest_mismatch", "originals/1-借款合同.pdf") in codes(problems)
    assert not any(code == "altered" for code, _ in codes(problems))


@pytest.mark.parametrize("data", [b"", b"not a zip at all", b"PK\x05\x06" + b"\x00" * 10])
def test_not_a_zip(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "b.zip"
    path.write_bytes(data)
    assert [p.code for p in verify_bundle(path)] == [ProblemCode.UNREADABLE]


def test_expected_hash_catches_a_consistent_rewrite(bundle: Path, tmp_path: Path) -> None:
    original = sha256_file(bundle)
    other = tmp_path / "other"
    other.mkdir()
    packet, files, manifest = sample_inputs(other)
    manifest["case_ref"] = "CASE-FORGED"
    forged = tmp_path / "forged.zip"
    write_bundle(forged, packet_pdf=packet, files=files, manifest=manifest, as_of=AS_OF)

    assert verify_bundle(forged) == []  # self-consistent, as any rewrite can be
    assert ("altered", "") in codes(verify_bundle(forged, expected_sha256=original))


@pytest.mark.parametrize(
    "arcname",
    ["../escape.pdf", "/abs.pdf", "a\\b.pdf", "C:/x.pdf", "a//b.pdf", "./a.pdf", "a/../b.pdf",
     "", "packet.pdf", "manifest.json", "SHA256SUMS", "bell\x07.pdf", "e\u0301.pdf"],
)  # fmt: skip
def test_unsafe_or_reserved_arcnames(tmp_path: Path, arcname: str) -> None:
    packet, files, manifest = sample_inputs(tmp_path)
    with pytest.raises(BundleError):
        write_bundle(
            tmp_path / "b.zip",
            packet_pdf=packet,
            files=[*files, BundleFile(arcname, files[0].path)],
            manifest=manifest,
        )
    assert not (tmp_path / "b.zip").exists()


def test_case_insensitive_duplicates(tmp_path: Path) -> None:
    packet, files, manifest = sample_inputs(tmp_path)
    twin = BundleFile("Pleadings/Civil_Complaint.docx", files[0].path)
    with pytest.raises(BundleError, match="duplicate"):
        write_bundle(tmp_path / "b.zip", packet_pdf=packet, files=[*files, twin], manifest=manifest)


@pytest.mark.parametrize(
    "change",
    [
        lambda m: m["items"][0].update(sha256="0" * 64),
        lambda m: m["items"][0].update(path="originals/none.pdf"),
        lambda m: m["items"][0].pop("sha256"),
        lambda m: m.update(amount=Decimal("1.00")),
        lambda m: m.update(items="nope"),
    ],
)
def test_inconsistent_manifest_is_refused(tmp_path: Path, change: Any) -> None:
    packet, files, manifest = sample_inputs(tmp_path)
    change(manifest)
    with pytest.raises(BundleError):
        write_bundle(tmp_path / "b.zip", packet_pdf=packet, files=files, manifest=manifest)


def test_naive_as_of_is_refused(tmp_path: Path) -> None:
    packet, files, manifest = sample_inputs(tmp_path)
    with pytest.raises(BundleError, match="timezone"):
        write_bundle(
            tmp_path / "b.zip",
            packet_pdf=packet,
            files=files,
            manifest=manifest,
            as_of=dt.datetime(2025, 1, 1),  # noqa: DTZ001 - the point of the test
        )


# Signed packets -------------------------------------------------------------------------


@pytest.fixture
def keys(tmp_path: Path) -> tuple[Path, Path]:
    return ensure_dev_signing_pair(tmp_path / "keys")


def signed_bundle(tmp_path: Path, keys: tuple[Path, Path], *, tamper: bool) -> Path:
    packet, files, manifest = sample_inputs(tmp_path)
    signed = tmp_path / "signed.pdf"
    sign_pdf(packet, signed, *keys, reason="Litigation packet", location="Shanghai")
    if tamper:
        data = bytearray(signed.read_bytes())
        data[data.index(b"stream") + 20] ^= 0x01  # inside the first signed stream
        signed.write_bytes(bytes(data))
    out = tmp_path / "bundle.zip"
    write_bundle(out, packet_pdf=signed, files=files, manifest=manifest)
    return out


def test_signed_packet_is_validated(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    out = signed_bundle(tmp_path, keys, tamper=False)
    assert verify_bundle(out) == []
    assert verify_bundle(out, trust_root=keys[1]) == []


def test_packet_changed_after_signing_fails_even_with_matching_sums(
    tmp_path: Path, keys: tuple[Path, Path]
) -> None:
    out = signed_bundle(tmp_path, keys, tamper=True)
    assert codes(verify_bundle(out)) == {("signature_invalid", "packet.pdf")}


def test_untrusted_signer(tmp_path: Path, keys: tuple[Path, Path]) -> None:
    out = signed_bundle(tmp_path, keys, tamper=False)
    _, other_cert = ensure_dev_signing_pair(tmp_path / "other")
    assert codes(verify_bundle(out, trust_root=other_cert)) == {
        ("signature_untrusted", "packet.pdf")
    }
