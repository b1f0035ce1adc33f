"""Demo evidence that looks like what collection teams really upload: scanned contract pages,
a bank receipt, phone photos of a visit, a call recording. Drawn with Pillow; never fetched."""

import io
import math
import struct
import wave
from datetime import datetime
from random import Random

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # the Simplified Chinese face inside the collection
PAGE = (1240, 1754)  # A4 at 150 dpi


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT, size, index=SC_INDEX)


def _page(rng: Random, title: str, lines: list[str]) -> bytes:
    img = Image.new("L", PAGE, 248)
    draw = ImageDraw.Draw(img)
    draw.text((PAGE[0] // 2, 120), title, font=_font(44), fill=20, anchor="mm")
    y = 220
    for line in lines:
        draw.text((110, y), line, font=_font(26), fill=30)
        y += 46
    noisy = img.rotate(rng.uniform(-0.6, 0.6), fillcolor=248).filter(ImageFilter.GaussianBlur(0.6))
    out = io.BytesIO()
    noisy.save(out, "JPEG", quality=70, dpi=(150, 150))
    return out.getvalue()


def scanned_pdf(rng: Random, pages: list[tuple[str, list[str]]]) -> bytes:
    """Pages drawn as greyscale JPEG 'scans', wrapped losslessly into a PDF."""
    return bytes(img2pdf.convert([_page(rng, title, lines) for title, lines in pages]))


def visit_photo(rng: Random, caption: str, taken: datetime) -> bytes:
    w, h = 1600, 1200
    img = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(img)
    base = (rng.randrange(120, 180), rng.randrange(110, 160), rng.randrange(90, 140))
    for y in range(h):  # a wall with a door, lit from one side
        shade = 0.75 + 0.25 * y / h
        draw.line([(0, y), (w, y)], fill=tuple(int(c * shade) for c in base))
    draw.rectangle([w * 0.38, h * 0.18, w * 0.62, h * 0.95], fill=(92, 64, 40), outline=(40, 30, 20), width=8)
    draw.ellipse([w * 0.58, h * 0.55, w * 0.6, h * 0.58], fill=(200, 180, 90))
    stamp = f"{taken:%Y-%m-%d %H:%M}  {caption}"
    draw.text((40, h - 70), stamp, font=_font(34), fill=(255, 210, 0))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=82)
    return out.getvalue()


def call_recording(rng: Random, seconds: float = 2.0) -> bytes:
    """A short mono WAV: two alternating tones, standing in for a recorded call."""
    rate = 8000
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        tone = rng.choice([330.0, 440.0])
        frames = b"".join(
            struct.pack("<h", int(9000 * math.sin(2 * math.pi * (tone if (i // 4000) % 2 else tone * 1.5) * i / rate)))
            for i in range(int(rate * seconds)))
        wav.writeframes(frames)
    return out.getvalue()
