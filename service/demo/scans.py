"""Demo evidence that looks like what collection teams really upload: scanned contract pages,
a bank receipt, phone photos of a visit, a call recording. Drawn with Pillow; never fetched."""

import hashlib
import io
import math
import re
import struct
import subprocess
import tempfile
import wave
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from random import Random

import img2pdf
from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc"
SC_INDEX = 2  # the Simplified Chinese face inside the collection
PAGE = (1240, 1754)  # A4 at 150 dpi
DPI = 150
INK, RED = (28, 40, 120), (200, 30, 35)


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


def _pdf(jpegs: list[bytes]) -> bytes:
    """JPEG pages wrapped losslessly into a PDF with no clock in it, so a demo seeded again makes the
    same bytes (and hashes): no creation date (nodate), and img2pdf's own writer, whose trailer has no
    /ID. Through pikepdf, img2pdf 0.6.3 asks for a deterministic /ID only when pikepdf.__version__ >=
    "6.2.0" compares true as a string, which "10.18.0" does not, so qpdf's /ID changed with the second."""
    return bytes(img2pdf.convert(jpegs, nodate=True, engine=img2pdf.Engine.internal))


def scanned_pdf(rng: Random, pages: list[tuple[str, list[str]]]) -> bytes:
    """Pages drawn as greyscale JPEG 'scans', wrapped losslessly into a PDF."""
    return _pdf([_page(rng, title, lines) for title, lines in pages])


@dataclass(frozen=True)
class Ink:
    """What a hand adds to the printed last page: a signature (`text`: the name; "" a scrawl) or a
    seal (`seal`: the name around it) at the printed words `label` (their first occurrence)."""

    label: str
    text: str = ""
    at: str = "below"  # below the label (its blank line) | after it (on its blank) | on it
    seal: bool = False
    thumb: bool = False  # a thumbprint beside the signature (签名并按指印)


# Scans already made in this process, by (document hash, inks, random state before): the demo is
# seeded again and again with the same anchor (every test fixture, `make samples`), and each scan
# costs a rasterisation, a blur and a JPEG per page. A hit returns the same bytes and leaves the
# random generator where the scan would have left it, so the demo stays the same either way.
_SCANS: dict[tuple[str, tuple[Ink, ...], tuple[tuple[str, str], ...], object], tuple[bytes, object]] = {}
_SCANS_KEPT = 64


def signed_scan(rng: Random, pdf: bytes, inks: Sequence[Ink], masks: Sequence[tuple[str, str]] = ()) -> bytes:
    """A printed document signed by hand and scanned: its own pages rasterised (poppler), inked
    on the last page where its words say, then skewed, blurred and JPEG'd like a scanner's.
    `masks`: (printed word, what a redacted copy shows instead), painted over on the page image
    before it is inked and skewed — the same scan with the number masked, where the random state
    is the same as the unredacted scan's."""
    key = (hashlib.sha256(pdf).hexdigest(), tuple(inks), tuple(masks), rng.getstate())
    if (found := _SCANS.get(key)) is not None:
        rng.setstate(found[1])  # type: ignore[arg-type]
        return found[0]
    scan = _signed_scan(rng, pdf, inks, masks)
    if len(_SCANS) >= _SCANS_KEPT:
        _SCANS.pop(next(iter(_SCANS)))
    _SCANS[key] = (scan, rng.getstate())
    return scan


def _signed_scan(rng: Random, pdf: bytes, inks: Sequence[Ink], masks: Sequence[tuple[str, str]] = ()) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "doc.pdf"
        src.write_bytes(pdf)
        subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", "-png", str(src), str(Path(tmp) / "p")], check=True,
                       timeout=300)
        images: list[Image.Image] = [Image.open(f) for f in sorted(Path(tmp).glob("p-*.png"))]
        images[-1] = images[-1].convert("RGB")  # the page the ink and the red seal are on
        words = _words(src, len(images))
        masked = set[str]().union(*(_mask(img, _words(src, n), masks) for n, img in enumerate(images, start=1)
                                    if masks))
    if unprinted := [value for value, _ in masks if value not in masked]:
        raise ValueError(f"the document does not print {unprinted!r}: nothing to mask")
    for ink in inks:
        found = next(((x0, y0, x1, y1, w) for x0, y0, x1, y1, w in words if ink.label in w), None)
        if found is None:
            raise ValueError(f"the document's last page does not print {ink.label!r}")
        _ink(rng, images[-1], ink, found)
    out = []
    for page in images:
        paper = (246, 245, 240) if page.mode == "RGB" else 246
        scanned = page.rotate(rng.uniform(-0.5, 0.5), fillcolor=paper).filter(ImageFilter.GaussianBlur(0.5))
        buf = io.BytesIO()
        scanned.save(buf, "JPEG", quality=72, dpi=(DPI, DPI))
        out.append(buf.getvalue())
    return _pdf(out)


def _mask(img: Image.Image, words: list[tuple[float, float, float, float, str]],
          masks: Sequence[tuple[str, str]]) -> set[str]:
    """Paint each printed word holding a masked value over with paper and print the word as the
    redacted copy shows it, in the same box (smaller type where it is wider); the values masked."""
    draw, found = ImageDraw.Draw(img), set[str]()
    rgb = img.mode == "RGB"
    paper: int | tuple[int, int, int] = (255, 255, 255) if rgb else 255
    ink: int | tuple[int, int, int] = (20, 20, 20) if rgb else 20
    for x0, y0, x1, y1, word in words:
        for value, shown in masks:
            if value not in word:
                continue
            text, size = word.replace(value, shown), int((y1 - y0) * 0.8)
            while size > 6 and _font(size).getlength(text) > x1 - x0 + 2:
                size -= 1
            draw.rectangle([x0 - 1, y0 - 1, x1 + 1, y1 + 1], fill=paper)
            draw.text((x0, (y0 + y1) / 2), text, font=_font(size), fill=ink, anchor="lm")
            found.add(value)
    return found


def _words(pdf: Path, page: int) -> list[tuple[float, float, float, float, str]]:
    """The words poppler finds on a page, with their boxes in pixels of the scan."""
    html = subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-bbox", str(pdf), "-"], check=True,
                          capture_output=True, text=True, timeout=60).stdout
    k = DPI / 72
    return [(float(a) * k, float(b) * k, float(c) * k, float(d) * k, w) for a, b, c, d, w in re.findall(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', html)]


def _ink(rng: Random, img: Image.Image, ink: Ink, box: tuple[float, float, float, float, str]) -> None:
    x0, y0, x1, y1, word = box
    height = y1 - y0
    if ink.seal:  # centred on the seal area's words
        _seal(img, ink.text, ((x0 + x1) / 2 + rng.uniform(-8, 8), (y0 + y1) / 2 + rng.uniform(-6, 6)))
        return
    start = word.index(ink.label) + len(ink.label)
    if ink.at == "after":
        x, y = x0 + (x1 - x0) * start / max(len(word), 1), y0 - height * 0.4
    else:
        x, y = x0 + height, y1 - height * 0.3
    _signature(rng, img, ink.text, (int(x), int(y)), int(height * 1.5))
    if ink.thumb:
        cx, cy = x + height * (1.4 * max(len(ink.text), 3) + 2), y + height * 0.8
        ImageDraw.Draw(img).ellipse([cx - height * 0.45, cy - height * 0.6, cx + height * 0.45, cy + height * 0.6],
                                    fill=(214, 90, 90))


def _signature(rng: Random, img: Image.Image, name: str, at: tuple[int, int], size: int) -> None:
    """A name written by hand (slanted, uneven), or a scrawl where no name is printed."""
    layer = Image.new("L", (size * (len(name) + 4), size * 2), 0)
    draw = ImageDraw.Draw(layer)
    if name:
        x = size // 3
        for part in ([name] if name.isascii() else list(name)):  # a Latin name in one stroke, Chinese by character
            font = _font(int(size * rng.uniform(0.9, 1.1)))
            draw.text((x, size // 2 + rng.randint(-3, 3)), part, font=font, fill=255)
            x += int(font.getlength(part))
    else:
        points = [(size // 3 + i * size // 3, size // 2 + rng.randint(0, size)) for i in range(10)]
        draw.line(points, fill=255, width=3, joint="curve")
    layer = layer.transform(layer.size, Image.Transform.AFFINE, (1, 0.3, -size * 0.3, 0, 1, 0))
    layer = layer.rotate(rng.uniform(-4, 4), expand=False)
    img.paste(Image.new("RGB", layer.size, INK), (at[0], at[1] - size // 2), layer)


def _seal(img: Image.Image, name: str, centre: tuple[float, float]) -> None:
    """A round red company seal: the name along the upper rim, a star in the middle."""
    r = 120
    layer = Image.new("L", (2 * r, 2 * r), 0)
    draw = ImageDraw.Draw(layer)
    draw.ellipse([4, 4, 2 * r - 4, 2 * r - 4], outline=200, width=7)
    star = [(r + (34 if k % 2 == 0 else 14) * math.sin(k * math.pi / 5),
             r - (34 if k % 2 == 0 else 14) * math.cos(k * math.pi / 5)) for k in range(10)]
    draw.polygon(star, fill=200)
    span = min(240.0, 22.0 * len(name))
    for k, ch in enumerate(name):
        angle = math.radians(-span / 2 + span * (k + 0.5) / len(name))
        glyph = Image.new("L", (32, 32), 0)
        ImageDraw.Draw(glyph).text((16, 16), ch, font=_font(26), fill=200, anchor="mm")
        glyph = glyph.rotate(-math.degrees(angle), expand=False)
        gx, gy = r + (r - 34) * math.sin(angle), r - (r - 34) * math.cos(angle)
        layer.paste(glyph, (int(gx - 16), int(gy - 16)), glyph)
    img.paste(Image.new("RGB", layer.size, RED), (int(centre[0] - r), int(centre[1] - r)), layer)


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


def call_recording(call: str, seconds: float = 2.0) -> bytes:
    """A short mono WAV standing in for the recording of one call or visit (`call`: its reference):
    two alternating tones and a little line noise, all drawn from the reference, so that each call
    (each visit) has its own recording (and its own SHA-256) and the same one always the same bytes."""
    rng = Random(hashlib.sha256(call.encode()).hexdigest())
    rate = 8000
    out = io.BytesIO()
    with wave.open(out, "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(rate)
        tone = rng.uniform(280.0, 520.0)
        frames = b"".join(
            struct.pack("<h", int(9000 * math.sin(2 * math.pi * (tone if (i // 4000) % 2 else tone * 1.5) * i / rate))
                        + rng.randint(-300, 300))
            for i in range(int(rate * seconds)))
        wav.writeframes(frames)
    return out.getvalue()


def _wrapped(text: str, size: int, width: int) -> list[str]:
    """`text` in lines no wider than `width` pixels at `size`: broken between Chinese characters, never
    inside a run of Latin letters and digits (a licence number, a phone number)."""
    font, lines, line = _font(size), [], ""
    for token in re.findall(r"[A-Za-z0-9.\-:/]+|.", text):
        if line and font.getlength(line + token) > width:
            lines.append(line)
            line = token.lstrip()
        else:
            line += token
    return [*lines, line]


def certificate_scan(rng: Random, title: str, rows: Sequence[tuple[str, str]], issuer: str, issued: str,
                     note: str = "") -> bytes:
    """A certificate photocopied for filing (营业执照, 金融许可证, 律师执业证 …): a framed page with its
    title, label–value rows and the issuing authority's red seal over the date, scanned."""
    img = Image.new("RGB", PAGE, (247, 246, 241))
    draw = ImageDraw.Draw(img)
    w, h = PAGE
    draw.rectangle([70, 70, w - 70, h - 70], outline=(150, 40, 40), width=10)
    draw.rectangle([92, 92, w - 92, h - 92], outline=(150, 40, 40), width=3)
    draw.text((w // 2, 220), title, font=_font(64), fill=(30, 30, 30), anchor="mm")
    if note:
        draw.text((w // 2, 300), note, font=_font(28), fill=(60, 60, 60), anchor="mm")
    y = 400
    for label, value in rows:
        draw.text((170, y), label, font=_font(30), fill=(40, 40, 40))
        for line in _wrapped(value, 30, w - 420 - 150):
            draw.text((420, y), line, font=_font(30), fill=(20, 20, 20))
            y += 48
        y += 22
    y = max(y + 60, h - 420)
    draw.text((w - 200, y), issuer, font=_font(30), fill=(30, 30, 30), anchor="rm")
    draw.text((w - 200, y + 60), issued, font=_font(30), fill=(30, 30, 30), anchor="rm")
    _seal(img, issuer, (w - 330 + rng.uniform(-12, 12), y + 20 + rng.uniform(-10, 10)))
    return _as_scan(rng, img)


def letter_scan(rng: Random, letterhead: str, title: str, paragraphs: Sequence[str], signer: str, dated: str) -> bytes:
    """A letter on a firm's letterhead, sealed by the firm over its date (a law firm's 所函), scanned."""
    img = Image.new("RGB", PAGE, (248, 248, 246))
    draw = ImageDraw.Draw(img)
    w, _h = PAGE
    draw.text((w // 2, 130), letterhead, font=_font(40), fill=(30, 40, 110), anchor="mm")
    draw.line([(110, 175), (w - 110, 175)], fill=(30, 40, 110), width=4)
    draw.text((w // 2, 270), title, font=_font(50), fill=(20, 20, 20), anchor="mm")
    y = 380
    for paragraph in paragraphs:
        for line in _wrapped(paragraph, 28, w - 240):
            draw.text((120, y), line, font=_font(28), fill=(25, 25, 25))
            y += 46
        y += 18
    y += 80
    draw.text((w - 160, y), signer, font=_font(30), fill=(25, 25, 25), anchor="rm")
    draw.text((w - 160, y + 60), dated, font=_font(30), fill=(25, 25, 25), anchor="rm")
    _seal(img, signer, (w - 320 + rng.uniform(-12, 12), y + 30 + rng.uniform(-10, 10)))
    return _as_scan(rng, img)


def id_card_copy(rng: Random, front: Sequence[tuple[str, str]], number: str, back: Sequence[tuple[str, str]]) -> bytes:
    """Both sides of a resident identity card photocopied onto one A4 page, as a court takes it."""
    img = Image.new("RGB", PAGE, (246, 246, 244))
    draw = ImageDraw.Draw(img)
    card = (856, 540)  # 85.6 × 54 mm at 10 px/mm
    left = (PAGE[0] - card[0]) // 2
    for top, side in ((180, "front"), (180 + card[1] + 120, "back")):
        draw.rounded_rectangle([left, top, left + card[0], top + card[1]], radius=36, fill=(226, 230, 234),
                               outline=(120, 120, 120), width=3)
        if side == "front":
            y = top + 50
            for label, value in front:
                draw.text((left + 50, y), label, font=_font(24), fill=(70, 90, 130))
                for line in _wrapped(value, 28, 380):
                    draw.text((left + 170, y), line, font=_font(28), fill=(20, 20, 20))
                    y += 40
                y += 12
            draw.rectangle([left + card[0] - 250, top + 70, left + card[0] - 60, top + 320], fill=(200, 205, 212))
            draw.text((left + 50, top + card[1] - 70), "公民身份号码", font=_font(24), fill=(70, 90, 130))
            draw.text((left + 230, top + card[1] - 74), number, font=_font(34), fill=(20, 20, 20))
        else:
            middle = left + card[0] // 2
            draw.text((middle, top + 120), "中华人民共和国", font=_font(40), fill=(20, 20, 20), anchor="mm")
            draw.text((middle, top + 200), "居民身份证", font=_font(60), fill=(20, 20, 20), anchor="mm")
            y = top + card[1] - 150
            for label, value in back:
                draw.text((left + 140, y), label, font=_font(24), fill=(70, 90, 130))
                draw.text((left + 300, y), value, font=_font(28), fill=(20, 20, 20))
                y += 56
    draw.text((PAGE[0] // 2, 180 + 2 * card[1] + 240), "本复印件与原件一致", font=_font(30), fill=(60, 60, 60),
              anchor="mm")
    return _as_scan(rng, img)


def _as_scan(rng: Random, img: Image.Image) -> bytes:
    scanned = img.rotate(rng.uniform(-0.5, 0.5), fillcolor=(246, 245, 240)).filter(ImageFilter.GaussianBlur(0.5))
    out = io.BytesIO()
    scanned.save(out, "JPEG", quality=75, dpi=(DPI, DPI))
    return _pdf([out.getvalue()])
