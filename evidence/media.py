"""Checks of uploaded images, recordings and text beyond their magic bytes.

Each check reads only what it needs: image headers and a reduced-size decode, audio
container headers, and text in chunks.
"""

from __future__ import annotations

import codecs
import mmap
import re
import struct
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from PIL import Image

from evidence.errors import RejectCode, UploadRejected
from evidence.markup import TEXT_MARKUP
from evidence.sniff import JPEG, MP3, PNG, TIFF, WAV, ContentType, mpeg_frame_length

_PIL_FORMATS = {JPEG: "JPEG", PNG: "PNG", TIFF: "TIFF"}
_TEXT_CHUNK = 1024 * 1024
_TAG_OVERLAP = 16  # longer than any opener TEXT_MARKUP looks for, so none hides across chunks
# C0 controls other than tab, newline, form feed and carriage return, DEL, and C1 controls
# (which in decoded text mean the encoding was guessed wrong).
_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f]")
_MAX_MOOV_BYTES = 64 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class ImageFacts:
    pages: int
    width: int
    height: int


def check_image(path: Path, ctype: ContentType, max_pixels: int) -> ImageFacts:
    """Header, pixel-count and integrity checks with Pillow; raise `UploadRejected`."""
    with warnings.catch_warnings():
        # We enforce our own pixel limit and report damage as errors; Pillow's warnings
        # (decompression bomb, corrupt EXIF) would only be noise.
        warnings.simplefilter("ignore")
        try:
            facts = _image_header(path, ctype, max_pixels)
            _image_decode(path, ctype)
        except Image.DecompressionBombError:
            raise _too_large(f"the image exceeds {max_pixels} pixels") from None
        except (OSError, SyntaxError, ValueError, EOFError, struct.error) as exc:
            raise UploadRejected(
                RejectCode.CORRUPT_IMAGE, f"the {ctype.label} is damaged ({exc})"
            ) from None
    return facts


def _image_header(path: Path, ctype: ContentType, max_pixels: int) -> ImageFacts:
    with Image.open(path) as image:
        if image.format != _PIL_FORMATS[ctype]:
            raise UploadRejected(RejectCode.CORRUPT_IMAGE, f"the {ctype.label} is unreadable")
        frames = getattr(image, "n_frames", 1)
        width, height = image.size
        for frame in range(frames):
            image.seek(frame)
            if image.width * image.height > max_pixels:
                raise _too_large(
                    f"page {frame + 1} is {image.width}x{image.height} pixels, "
                    f"more than the limit of {max_pixels}"
                )
        image.seek(0)
        image.verify()
    return ImageFacts(frames, width, height)


def _image_decode(path: Path, ctype: ContentType) -> None:
    """Decode enough to find truncated or damaged image data.

    Pillow's decoders ignore truncation whenever `ImageFile.LOAD_TRUNCATED_IMAGES` is set,
    and importing WeasyPrint sets it for the whole process. So truncation is checked from
    the file structure first, which no global flag can switch off.
    """
    if ctype is PNG:
        return  # verify() already walked every chunk and checked each critical CRC.
    if ctype is JPEG:
        _check_jpeg_markers(path)
    with Image.open(path) as image:
        if ctype is JPEG:
            # DCT scaling decodes at 1/8 size: the whole entropy-coded stream is still read,
            # so damaged data is found, at a fraction of a full decode.
            image.draft(image.mode, (max(image.width // 8, 1), max(image.height // 8, 1)))
            image.load()
            return
        size = path.stat().st_size
        for frame in range(getattr(image, "n_frames", 1)):
            image.seek(frame)
            _check_tiff_extent(image, size, frame)
            image.load()


# In entropy-coded data 0xFF is followed by a stuffed 0x00 or a restart marker; anything
# else is the next marker.
_NEXT_MARKER = re.compile(rb"\xff(?![\x00\xd0-\xd7])")
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


def _check_jpeg_markers(path: Path) -> None:
    """Walk the JPEG's segments to its end-of-image marker; data after it (phone trailers,
    a second image) is allowed."""
    with path.open("rb") as stream, mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ) as data:
        position = 2  # after SOI
        while position + 2 <= len(data) and data[position] == 0xFF:
            marker = data[position + 1]
            if marker == 0xD9:  # EOI
                return
            if marker == 0xFF or marker in _STANDALONE:
                position += 1 if marker == 0xFF else 2
                continue
            if position + 4 > len(data):
                break
            position += 2 + int.from_bytes(data[position + 2 : position + 4], "big")
            if marker == 0xDA:  # SOS: skip the entropy-coded scan
                found = _NEXT_MARKER.search(data, position)
                if found is None:
                    break
                position = found.start()
    raise OSError("the JPEG structure breaks off before its end-of-image marker")


def _check_tiff_extent(image: Image.Image, size: int, frame: int) -> None:
    tags = getattr(image, "tag_v2", {})
    offsets = tags.get(273) or tags.get(324) or ()  # StripOffsets or TileOffsets
    counts = tags.get(279) or tags.get(325) or ()  # StripByteCounts or TileByteCounts
    if any(offset + count > size for offset, count in zip(offsets, counts, strict=False)):
        raise OSError(f"page {frame + 1} refers to image data past the end of the file")


def _too_large(message: str) -> UploadRejected:
    return UploadRejected(RejectCode.IMAGE_TOO_LARGE, message)


def check_audio(path: Path, ctype: ContentType) -> None:
    with path.open("rb") as stream:
        if ctype is WAV:
            _check_wav(stream)
        elif ctype is MP3:
            _check_mp3(stream)
        else:
            _check_m4a(stream)


def _check_wav(stream: BinaryIO) -> None:
    stream.seek(12)
    found: set[bytes] = set()
    while len(header := stream.read(8)) == 8:
        chunk_id, size = struct.unpack("<4sI", header)
        if chunk_id == b"fmt " and size < 16:
            break
        found.add(chunk_id)
        if {b"fmt ", b"data"} <= found:
            return
        stream.seek(size + (size & 1), 1)  # chunks are word-aligned
    raise _corrupt_audio("the WAV file has no valid format and data chunks")


def _check_mp3(stream: BinaryIO) -> None:
    head = stream.read(10)
    offset = 0
    if head.startswith(b"ID3") and len(head) == 10:
        size = _syncsafe(head[6:10])
        offset = 10 + size + (10 if head[5] & 0x10 else 0)
    stream.seek(offset)
    window = stream.read(8192)
    # Encoders pad after the tag; the first frame may start a little later.
    start = next((i for i in range(len(window) - 3) if mpeg_frame_length(window[i : i + 4])), -1)
    if start < 0:
        raise _corrupt_audio("no MPEG audio frame follows the header")
    length = mpeg_frame_length(window[start : start + 4]) or 0
    stream.seek(offset + start + length)
    following = stream.read(4)
    # A single header could be chance; a second one exactly one frame later is not.
    if following and mpeg_frame_length(following) is None and following[:3] != b"TAG":
        raise _corrupt_audio("the MP3 frames are not contiguous")


def _syncsafe(data: bytes) -> int:
    return (data[0] << 21) | (data[1] << 14) | (data[2] << 7) | data[3]


def _check_m4a(stream: BinaryIO) -> None:
    moov = _top_level_box(stream, b"moov")
    if moov is None:
        raise _corrupt_audio("the M4A file has no movie header (moov)")
    handlers = set(_handler_types(moov))
    if b"vide" in handlers:
        raise UploadRejected(RejectCode.UNSUPPORTED_TYPE, "the MP4 file contains video")
    if b"soun" not in handlers:
        raise _corrupt_audio("the M4A file has no audio track")


def _top_level_box(stream: BinaryIO, wanted: bytes) -> bytes | None:
    stream.seek(0, 2)
    end = stream.tell()
    position = 0
    while position + 8 <= end:
        stream.seek(position)
        size, kind, header = _box_header(stream.read(16), end - position)
        if size < header:
            return None
        if kind == wanted:
            if size > _MAX_MOOV_BYTES:
                return None
            stream.seek(position + header)
            return stream.read(size - header)
        position += size
    return None


def _box_header(data: bytes, remaining: int) -> tuple[int, bytes, int]:
    size, kind = struct.unpack(">I4s", data[:8])
    if size == 1 and len(data) >= 16:
        return struct.unpack(">Q", data[8:16])[0], kind, 16
    if size == 0:
        return remaining, kind, 8
    return size, kind, 8


def _handler_types(data: bytes) -> list[bytes]:
    """Handler types of every track: moov → trak → mdia → hdlr."""
    found: list[bytes] = []
    position = 0
    while position + 8 <= len(data):
        size, kind, header = _box_header(data[position : position + 16], len(data) - position)
        if size < header:
            break
        body = data[position + header : position + size]
        if kind in (b"trak", b"mdia"):
            found.extend(_handler_types(body))
        elif kind == b"hdlr" and len(body) >= 12:
            found.append(body[8:12])
        position += size
    return found


def _corrupt_audio(message: str) -> UploadRejected:
    return UploadRejected(RejectCode.CORRUPT_AUDIO, message)


def check_text(path: Path) -> str:
    """Return the encoding ("utf-8" or "gb18030") the whole file decodes with; refuse text
    that carries HTML anywhere in it (a ".txt" a browser would run)."""
    for encoding in ("utf-8-sig", "gb18030"):
        if _decodes_as(path, encoding):
            _refuse_markup(path, encoding)
            return "utf-8" if encoding == "utf-8-sig" else encoding
    raise UploadRejected(
        RejectCode.NOT_TEXT,
        "the file is neither a supported document, image or recording, "
        "nor printable UTF-8 or GB18030 text",
    )


def _refuse_markup(path: Path, encoding: str) -> None:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    seen, tail = 0, ""
    with path.open("rb") as stream:
        while chunk := stream.read(_TEXT_CHUNK):
            text = tail + decoder.decode(chunk)
            if (found := TEXT_MARKUP.search(text)) is not None:
                raise UploadRejected(
                    RejectCode.MARKUP,
                    f"the text contains HTML markup ({found.group(0)!r} at character "
                    f"{seen - len(tail) + found.start()})",
                )
            seen += len(text) - len(tail)
            tail = text[-_TAG_OVERLAP:]


def _decodes_as(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    with path.open("rb") as stream:
        try:
            while chunk := stream.read(_TEXT_CHUNK):
                if _CONTROL.search(decoder.decode(chunk)):
                    return False
            return not _CONTROL.search(decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            return False
