"""Small factories for real evidence files: PDFs, images, recordings, all made on the spot."""

from __future__ import annotations

import io
import struct
import wave
import zlib
from collections.abc import Sequence
from pathlib import Path

import pikepdf
from PIL import Image

A4 = (595.0, 842.0)


def make_pdf(
    path: Path,
    pages: int = 3,
    *,
    text: str = "Evidence page",
    mediabox: Sequence[float] | None = None,
    rotate: int = 0,
) -> Path:
    """A PDF whose page i carries the text "<text> i" in Helvetica."""
    pdf = pikepdf.new()
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    box = list(mediabox or (0, 0, *A4))
    for number in range(1, pages + 1):
        content = f"BT /F1 14 Tf {box[0] + 72} {box[1] + 400} Td ({text} {number}) Tj ET".encode()
        page = pikepdf.Dictionary(
            Type=pikepdf.Name.Page,
            MediaBox=box,
            Resources=pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font)),
            Contents=pdf.make_stream(content),
        )
        if rotate:
            page.Rotate = rotate
        pdf.pages.append(pikepdf.Page(page))
    pdf.save(path)
    return path


def make_image(
    path: Path,
    fmt: str,
    size: tuple[int, int] = (64, 48),
    *,
    orientation: int | None = None,
    color: tuple[int, int, int] = (200, 80, 40),
) -> Path:
    image = Image.new("RGB", size, color)
    exif = Image.Exif()
    if orientation:
        exif[0x0112] = orientation  # EXIF Orientation tag
    image.save(path, fmt, exif=exif.tobytes())
    return path


def make_tiff(path: Path, frames: int = 3) -> Path:
    images = [Image.new("L", (40, 60), 30 * i) for i in range(frames)]
    images[0].save(path, "TIFF", save_all=True, append_images=images[1:])
    return path


def png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def make_png_header_only(path: Path, width: int, height: int) -> Path:
    """A PNG that claims huge dimensions but carries almost no data: a decompression bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    data = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr)
    data += png_chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + png_chunk(b"IEND", b"")
    path.write_bytes(data)
    return path


def make_wav(path: Path, seconds: float = 0.1) -> Path:
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(8000)
        out.writeframes(b"\x00\x01" * int(8000 * seconds))
    return path


MP3_FRAME_HEADER = b"\xff\xfb\x90\x00"  # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz
MP3_FRAME_LENGTH = 417


def make_mp3(path: Path, frames: int = 4, *, id3: bool = True) -> Path:
    frame = MP3_FRAME_HEADER + b"\x00" * (MP3_FRAME_LENGTH - 4)
    tag = b"ID3\x04\x00\x00" + bytes([0, 0, 0, 20]) + b"\x00" * 20 if id3 else b""
    path.write_bytes(tag + frame * frames)
    return path


def box(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", 8 + len(body)) + kind + body


def make_m4a(path: Path, handlers: Sequence[bytes] = (b"soun",), brand: bytes = b"M4A ") -> Path:
    tracks = b"".join(
        box(b"trak", box(b"mdia", box(b"hdlr", b"\x00" * 8 + handler + b"\x00" * 12)))
        for handler in handlers
    )
    ftyp = box(b"ftyp", brand + b"\x00\x00\x00\x00" + brand + b"isom")
    path.write_bytes(ftyp + box(b"mdat", b"\x00" * 32) + box(b"moov", tracks))
    return path


def jpeg_bytes(size: tuple[int, int] = (64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (10, 120, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def make_hostile_pdf(path: Path) -> Path:
    """Two pages carrying everything a PDF can do besides being read: page-open JavaScript, a
    Launch of cmd.exe, a URI link to 127.0.0.1, a remote GoTo, a JavaScript chain, a form field
    with a keystroke script, an attached executable, document-level OpenAction and name trees.
    Page 2 also has one harmless internal link to page 1, which stays."""
    make_pdf(path, pages=2, text="Hostile exhibit")
    with pikepdf.open(path, allow_overwriting_input=True) as pdf:
        js = pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String("app.alert('pwned')"))
        launch = pikepdf.Dictionary(S=pikepdf.Name.Launch, F=pikepdf.String("cmd.exe"),
                                    Win=pikepdf.Dictionary(F=pikepdf.String("cmd.exe"), P=pikepdf.String("/c calc")))
        uri = pikepdf.Dictionary(S=pikepdf.Name.URI, URI=pikepdf.String("http://127.0.0.1:8000/steal"))
        remote = pikepdf.Dictionary(S=pikepdf.Name.GoToR, F=pikepdf.String("other.pdf"),
                                    D=pikepdf.Array([0, pikepdf.Name.Fit]))
        chained = pikepdf.Dictionary(S=pikepdf.Name.Named, N=pikepdf.Name.NextPage, Next=js)
        payload = pdf.make_stream(b"MZ\x90\x00 not really an executable")
        payload.Type = pikepdf.Name.EmbeddedFile
        filespec = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Filespec, F=pikepdf.String("invoice.exe"), EF=pikepdf.Dictionary(F=payload)))
        page1, page2 = pdf.pages[0].obj, pdf.pages[1].obj
        page1.AA = pikepdf.Dictionary(O=js)

        def link(action: pikepdf.Dictionary | None = None, **extra: object) -> pikepdf.Dictionary:
            annot = pikepdf.Dictionary(Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Link,
                                       Rect=[72, 72, 200, 90], Border=[0, 0, 0], **extra)
            if action is not None:
                annot.A = action
            return pdf.make_indirect(annot)

        field = pdf.make_indirect(pikepdf.Dictionary(FT=pikepdf.Name.Tx, T=pikepdf.String("amount"),
                                                     AA=pikepdf.Dictionary(K=js)))
        widget = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.Widget, Rect=[300, 300, 400, 320], Parent=field,
            AA=pikepdf.Dictionary(Fo=js)))
        field.Kids = pikepdf.Array([widget])
        attachment = pdf.make_indirect(pikepdf.Dictionary(
            Type=pikepdf.Name.Annot, Subtype=pikepdf.Name.FileAttachment, Rect=[10, 10, 30, 30], FS=filespec))
        page1.Annots = pikepdf.Array([link(launch), link(uri), link(js), widget, attachment])
        page2.Annots = pikepdf.Array([link(remote), link(chained), link(Dest=pikepdf.Array([page1, pikepdf.Name.Fit])),
                                      link(Dest=pikepdf.String("elsewhere"))])
        pdf.Root.OpenAction = js
        pdf.Root.AcroForm = pikepdf.Dictionary(Fields=[field], XFA=pdf.make_stream(b"<xdp:xdp/>"))
        pdf.Root.Names = pikepdf.Dictionary(
            JavaScript=pikepdf.Dictionary(Names=[pikepdf.String("init"), js]),
            EmbeddedFiles=pikepdf.Dictionary(Names=[pikepdf.String("invoice.exe"), filespec]))
        pdf.save(path)
    return path


ACTIVE_KEYS = frozenset({"/AA", "/OpenAction", "/JS", "/JavaScript", "/EmbeddedFiles", "/EF", "/XFA", "/AcroForm",
                         "/PA", "/URI"})
ACTIVE_SUBTYPES = frozenset({"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D", "/EmbeddedFile"})
HOSTILE_TARGETS = ("cmd.exe", "127.0.0.1", "invoice.exe", "other.pdf", "pwned")


def active_content(path: Path) -> list[str]:
    """Everything in a PDF's object graph that can act: keys, action types other than an internal
    GoTo, active annotation types, hostile targets in strings. Walked structurally, so bytes in
    compressed font or image data cannot be mistaken for PDF syntax."""
    found: list[str] = []

    def walk(node: object, seen: set[tuple[int, int]]) -> None:
        if isinstance(node, pikepdf.Object) and node.is_indirect:
            if node.objgen in seen:
                return
            seen.add(node.objgen)
        if isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
            for key in list(node.keys()):
                if key in ACTIVE_KEYS:
                    found.append(key)
                if key == "/A" and isinstance(node[key], pikepdf.Dictionary) and node[key].get("/S") != "/GoTo":
                    found.append(f"action {node[key].get('/S')}")
                if key not in ("/Parent", "/P"):
                    walk(node[key], seen)
            if str(node.get("/Subtype", "")) in ACTIVE_SUBTYPES or str(node.get("/Type", "")) in ACTIVE_SUBTYPES:
                found.append(str(node.get("/Subtype", node.get("/Type"))))
        elif isinstance(node, pikepdf.Array):
            for item in node:
                walk(item, seen)
        elif isinstance(node, pikepdf.String | str):
            text = str(node)
            found.extend(target for target in HOSTILE_TARGETS if target in text)

    with pikepdf.open(path) as pdf:
        walk(pdf.trailer, set())
    return found
