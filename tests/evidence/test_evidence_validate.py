import zlib
from pathlib import Path

import pikepdf
import pytest
from evidence_factories import (
    jpeg_bytes,
    make_image,
    make_m4a,
    make_mp3,
    make_pdf,
    make_png_header_only,
    make_tiff,
    make_wav,
)
from PIL import ImageFile

from evidence.errors import RejectCode, UploadRejected
from evidence.pdfcheck import PdfLimits
from evidence.validate import Limits, UploadInfo, inspect_upload


def rejected(path: Path, name: str, limits: Limits | None = None) -> UploadRejected:
    with pytest.raises(UploadRejected) as caught:
        inspect_upload(path, declared_name=name, limits=limits)
    return caught.value


def write(tmp_path: Path, data: bytes, name: str = "upload.bin") -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# Accepted files ---------------------------------------------------------------------------


def test_pdf_is_accepted_with_its_page_count(tmp_path: Path) -> None:
    info = inspect_upload(make_pdf(tmp_path / "a", pages=4), declared_name="借款合同.pdf")
    assert info == UploadInfo(
        media_type="application/pdf",
        extension=".pdf",
        family="pdf",
        safe_name="借款合同.pdf",
        size=(tmp_path / "a").stat().st_size,
        pages=4,
    )


@pytest.mark.parametrize(
    ("fmt", "name", "media_type"),
    [("JPEG", "photo.JPEG", "image/jpeg"), ("PNG", "scan.png", "image/png")],
)
def test_images_are_accepted(tmp_path: Path, fmt: str, name: str, media_type: str) -> None:
    info = inspect_upload(make_image(tmp_path / "img", fmt, (64, 48)), declared_name=name)
    assert (info.media_type, info.pages, info.width, info.height) == (media_type, 1, 64, 48)
    assert info.safe_name == name


def test_multipage_tiff_counts_its_frames(tmp_path: Path) -> None:
    info = inspect_upload(make_tiff(tmp_path / "t", frames=3), declared_name="fax.tif")
    assert (info.media_type, info.pages) == ("image/tiff", 3)


@pytest.mark.parametrize(
    ("make", "name", "media_type"),
    [
        (make_wav, "call.wav", "audio/wav"),
        (make_mp3, "call.mp3", "audio/mpeg"),
        (lambda p: make_mp3(p, id3=False), "call.mp3", "audio/mpeg"),
        (make_m4a, "call.m4a", "audio/mp4"),
    ],
)
def test_recordings_are_accepted(tmp_path: Path, make, name: str, media_type: str) -> None:  # type: ignore[no-untyped-def]
    info = inspect_upload(make(tmp_path / "rec"), declared_name=name)
    assert (info.media_type, info.family, info.pages) == (media_type, "audio", None)


def test_text_in_utf8_and_gb18030(tmp_path: Path) -> None:
    utf8 = write(tmp_path, "日期,金额\n2024-03-01,1000.00\n".encode(), "a")
    gbk = write(tmp_path, "催收记录：已电话联系，承诺还款。\r\n".encode("gb18030"), "b")

    csv = inspect_upload(utf8, declared_name="还款记录.csv")
    txt = inspect_upload(gbk, declared_name="记录.txt")

    assert (csv.media_type, csv.encoding) == ("text/csv", "utf-8")
    assert (txt.media_type, txt.encoding) == ("text/plain", "gb18030")


def test_name_without_extension_gets_the_contents_extension(tmp_path: Path) -> None:
    path = write(tmp_path, jpeg_bytes())
    assert inspect_upload(path, declared_name="IMG 2024").safe_name == "IMG 2024.jpg"
    assert inspect_upload(path, declared_name="合同 v1.2").safe_name == "合同 v1.2.jpg"


def test_name_is_normalised_to_nfc_and_whitespace_collapsed(tmp_path: Path) -> None:
    path = write(tmp_path, jpeg_bytes())
    info = inspect_upload(path, declared_name="  Cafe\u0301   receipt.jpg ")
    assert info.safe_name == "Caf\u00e9 receipt.jpg"


# Refusals ---------------------------------------------------------------------------------


def test_empty_file(tmp_path: Path) -> None:
    refusal = rejected(write(tmp_path, b""), "contract.pdf")
    assert refusal.code == RejectCode.EMPTY
    assert "empty" in refusal.message


def test_too_large_file(tmp_path: Path) -> None:
    refusal = rejected(write(tmp_path, b"a" * 100), "a.txt", Limits(max_bytes=99))
    assert refusal.code == RejectCode.TOO_LARGE


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"MZ\x90\x00\x03" + b"\x00" * 100, "contract.pdf"),
        (b"\x7fELF\x02\x01\x01" + b"\x00" * 100, "photo.jpg"),
        (b"\xcf\xfa\xed\xfe" + b"\x00" * 100, "call.mp3"),
        (b"#!/bin/sh\nrm -rf /\n", "notes.txt"),
        (b"#!/usr/bin/env python\nprint(1)\n", "data.csv"),
    ],
)
def test_executables_whatever_their_name(tmp_path: Path, data: bytes, name: str) -> None:
    assert rejected(write(tmp_path, data), name).code == RejectCode.EXECUTABLE


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"<html><body><script>alert(1)</script>", "photo.jpg"),
        (b"\xef\xbb\xbf  \n<!DOCTYPE html><html>", "scan.png"),
        (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "seal.png"),
        (b'<?xml version="1.0"?><svg/>', "contract.pdf"),
        (b"<script>fetch('/x')</script>", "notes.txt"),
        (b"<html>%PDF-1.7", "polyglot.pdf"),
    ],
)
def test_markup_disguised_as_anything(tmp_path: Path, data: bytes, name: str) -> None:
    refusal = rejected(write(tmp_path, data), name)
    assert refusal.code == RejectCode.MARKUP
    assert "HTML" in refusal.message


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"GIF89a" + b"\x00" * 50, "x.gif"),
        (b"PK\x03\x04" + b"\x00" * 50, "x.docx"),
        (b"\x00\x00\x00\x18ftypheic" + b"\x00" * 50, "photo.heic"),
        (b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 50, "photo.webp"),
        (bytes(range(256)) * 4, "blob.dat"),
    ],
)
def test_unsupported_types(tmp_path: Path, data: bytes, name: str) -> None:
    assert rejected(write(tmp_path, data), name).code == RejectCode.UNSUPPORTED_TYPE


def test_video_in_mp4_is_not_a_recording(tmp_path: Path) -> None:
    path = make_m4a(tmp_path / "v", handlers=(b"vide", b"soun"), brand=b"isom")
    refusal = rejected(path, "visit.mp4")
    assert refusal.code == RejectCode.UNSUPPORTED_TYPE
    assert "video" in refusal.message


def test_declared_extension_contradicting_content_is_named(tmp_path: Path) -> None:
    refusal = rejected(make_pdf(tmp_path / "a"), "photo.jpg")
    assert refusal.code == RejectCode.EXTENSION_MISMATCH
    assert ".jpg" in refusal.message
    assert "PDF" in refusal.message


def test_image_named_as_another_image_type(tmp_path: Path) -> None:
    refusal = rejected(make_image(tmp_path / "a", "PNG"), "scan.jpg")
    assert refusal.code == RejectCode.EXTENSION_MISMATCH
    assert "PNG" in refusal.message


def test_text_with_a_foreign_extension(tmp_path: Path) -> None:
    refusal = rejected(write(tmp_path, b"echo hi\r\n"), "run.bat")
    assert refusal.code == RejectCode.EXTENSION_MISMATCH


@pytest.mark.parametrize(
    "data",
    [b"plain\x01text with a control byte", b"caf\xe9 \xff\xfe\x80 not decodable", b"a\x00b"],
)
def test_binary_posing_as_text(tmp_path: Path, data: bytes) -> None:
    code = rejected(write(tmp_path, data), "notes.txt").code
    assert code in {RejectCode.NOT_TEXT, RejectCode.UNSUPPORTED_TYPE}


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("../../etc/passwd", '".."'),
        ("..", "empty"),
        ("report..pdf", '".."'),
        ("cases/1.pdf", "slash"),
        ("C:\\evil.pdf", "backslash"),
        ("a\x00.pdf", "NUL"),
        ("bell\x07.pdf", "U+0007"),
        ("invoice\u202efdp.exe", "U+202E"),
        ("   ", "empty"),
        ("", "empty"),
    ],
)
def test_bad_file_names(tmp_path: Path, name: str, says: str) -> None:
    refusal = rejected(write(tmp_path, jpeg_bytes()), name)
    assert refusal.code == RejectCode.BAD_FILENAME
    assert says in refusal.message


def test_long_name_is_bounded_without_losing_the_extension(tmp_path: Path) -> None:
    info = inspect_upload(write(tmp_path, jpeg_bytes()), declared_name="证" * 300 + ".jpg")
    assert info.safe_name.endswith("证.jpg")
    assert len(info.safe_name.encode()) <= 200


# PDFs ---------------------------------------------------------------------------------------


def test_truncated_pdf_is_corrupt(tmp_path: Path) -> None:
    data = make_pdf(tmp_path / "a", pages=3).read_bytes()
    refusal = rejected(write(tmp_path, data[: len(data) * 2 // 3]), "a.pdf")
    assert refusal.code == RejectCode.CORRUPT_PDF
    assert "damaged" in refusal.message


def test_pdf_header_followed_by_garbage(tmp_path: Path) -> None:
    refusal = rejected(write(tmp_path, b"%PDF-1.7\n" + b"garbage " * 100), "a.pdf")
    assert refusal.code == RejectCode.CORRUPT_PDF


@pytest.mark.parametrize("user_password", ["", "secret"])
def test_encrypted_pdf(tmp_path: Path, user_password: str) -> None:
    with pikepdf.open(make_pdf(tmp_path / "plain")) as pdf:
        pdf.save(tmp_path / "enc", encryption=pikepdf.Encryption(owner="o", user=user_password))
    refusal = rejected(tmp_path / "enc", "a.pdf")
    assert refusal.code == RejectCode.ENCRYPTED_PDF


def test_too_many_pages(tmp_path: Path) -> None:
    limits = Limits(pdf=PdfLimits(max_pages=5))
    assert inspect_upload(make_pdf(tmp_path / "ok", 5), declared_name="a.pdf", limits=limits)
    refusal = rejected(make_pdf(tmp_path / "big", 6), "a.pdf", limits)
    assert refusal.code == RejectCode.TOO_MANY_PAGES
    assert "6 pages" in refusal.message


def pdf_with_stream(path: Path, data: bytes, **extra: object) -> Path:
    pdf = pikepdf.open(make_pdf(path.with_suffix(".base"), 1))
    stream = pdf.make_stream(data)
    for key, value in extra.items():
        stream[f"/{key}"] = value
    pdf.Root.Extra = stream
    pdf.save(path, compress_streams=False)
    return path


def test_stream_with_a_large_declared_length(tmp_path: Path) -> None:
    limits = Limits(pdf=PdfLimits(max_stream_bytes=1000))
    path = pdf_with_stream(tmp_path / "a.pdf", b"x" * 2000)
    refusal = rejected(path, "a.pdf", limits)
    assert refusal.code == RejectCode.OVERSIZED_STREAM
    assert "2000 bytes" in refusal.message


def test_flate_bomb_is_refused_without_inflating_it_all(tmp_path: Path) -> None:
    limits = Limits(pdf=PdfLimits(max_stream_bytes=1024 * 1024))
    bomb = zlib.compress(b"\x00" * (50 * 1024 * 1024), 9)  # ~50 KB raw
    path = pdf_with_stream(tmp_path / "a.pdf", bomb, Filter=pikepdf.Name.FlateDecode)
    refusal = rejected(path, "a.pdf", limits)
    assert refusal.code == RejectCode.OVERSIZED_STREAM
    assert "decodes to more than" in refusal.message


def test_flate_stream_under_the_limit_is_fine(tmp_path: Path) -> None:
    limits = Limits(pdf=PdfLimits(max_stream_bytes=1024 * 1024))
    data = zlib.compress(b"\x00" * (900 * 1024), 9)  # worst case bound over, real size under
    path = pdf_with_stream(tmp_path / "a.pdf", data, Filter=pikepdf.Name.FlateDecode)
    assert inspect_upload(path, declared_name="a.pdf", limits=limits).pages == 1


def test_image_xobject_over_the_pixel_limit(tmp_path: Path) -> None:
    path = pdf_with_stream(
        tmp_path / "a.pdf",
        b"\xff\xd8\xff",
        Type=pikepdf.Name.XObject,
        Subtype=pikepdf.Name.Image,
        Width=50_000,
        Height=50_000,
        BitsPerComponent=8,
        Filter=pikepdf.Name.DCTDecode,
    )
    refusal = rejected(path, "a.pdf")
    assert refusal.code == RejectCode.OVERSIZED_STREAM
    assert "50000x50000" in refusal.message


# Images -------------------------------------------------------------------------------------


@pytest.fixture(params=[False, True], ids=["strict-pillow", "lenient-pillow"])
def pillow_leniency(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Importing WeasyPrint sets LOAD_TRUNCATED_IMAGES for the whole process; damage must be
    found either way."""
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", request.param)


@pytest.mark.usefixtures("pillow_leniency")
@pytest.mark.parametrize("cut", [0.5, 0.9, 0.999])
def test_truncated_jpeg(tmp_path: Path, cut: float) -> None:
    data = make_image(tmp_path / "a", "JPEG", (800, 600)).read_bytes()
    refusal = rejected(write(tmp_path, data[: int(len(data) * cut)]), "a.jpg")
    assert refusal.code == RejectCode.CORRUPT_IMAGE


@pytest.mark.usefixtures("pillow_leniency")
def test_truncated_tiff(tmp_path: Path) -> None:
    data = make_tiff(tmp_path / "a", frames=3).read_bytes()
    refusal = rejected(write(tmp_path, data[: len(data) - 1000]), "a.tif")
    assert refusal.code == RejectCode.CORRUPT_IMAGE


def test_jpeg_with_a_trailer_after_the_image_is_fine(tmp_path: Path) -> None:
    # Phones append thumbnails and maker data after the end-of-image marker.
    path = write(tmp_path, jpeg_bytes() + b"SEFH\x00trailer" + jpeg_bytes((8, 8)))
    assert inspect_upload(path, declared_name="phone.jpg").media_type == "image/jpeg"


def test_png_with_a_bad_checksum(tmp_path: Path) -> None:
    data = bytearray(make_image(tmp_path / "a", "PNG", (80, 60)).read_bytes())
    data[40] ^= 0xFF  # inside the IDAT chunk
    refusal = rejected(write(tmp_path, bytes(data)), "a.png")
    assert refusal.code == RejectCode.CORRUPT_IMAGE


def test_tiff_header_without_an_image(tmp_path: Path) -> None:
    refusal = rejected(write(tmp_path, b"II*\x00" + b"\xff" * 60), "a.tif")
    assert refusal.code == RejectCode.CORRUPT_IMAGE


def test_pixel_limit(tmp_path: Path) -> None:
    limits = Limits(max_image_pixels=1000)
    refusal = rejected(make_image(tmp_path / "a", "JPEG", (100, 100)), "a.jpg", limits)
    assert refusal.code == RejectCode.IMAGE_TOO_LARGE
    assert "100x100" in refusal.message


def test_decompression_bomb_png_is_refused_from_its_header(tmp_path: Path) -> None:
    path = make_png_header_only(tmp_path / "bomb", 100_000, 100_000)
    assert rejected(path, "bomb.png").code == RejectCode.IMAGE_TOO_LARGE


# Recordings ---------------------------------------------------------------------------------


def test_wav_without_data_chunk(tmp_path: Path) -> None:
    refusal = rejected(write(tmp_path, b"RIFF\x04\x00\x00\x00WAVE"), "a.wav")
    assert refusal.code == RejectCode.CORRUPT_AUDIO


def test_id3_tag_without_audio_frames(tmp_path: Path) -> None:
    data = b"ID3\x04\x00\x00\x00\x00\x00\x0a" + b"\x00" * 10 + b"not audio at all" * 10
    refusal = rejected(write(tmp_path, data), "a.mp3")
    assert refusal.code == RejectCode.CORRUPT_AUDIO


def test_m4a_without_audio_track(tmp_path: Path) -> None:
    refusal = rejected(make_m4a(tmp_path / "a", handlers=(b"text",)), "a.m4a")
    assert refusal.code == RejectCode.CORRUPT_AUDIO
