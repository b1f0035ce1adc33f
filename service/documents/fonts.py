"""The compact document fonts: Noto Serif/Sans CJK SC cut down to what documents use.

Why: WeasyPrint embeds a per-document subset of every face it uses, but it keeps glyph ids
(retain-gids), so a subset of the full 65,535-glyph Noto CJK face carries tens of thousands of
empty slots (110–170 KB per face) and costs ~20 ms of subsetting per document. These fonts keep
ASCII, Latin-1, punctuation, GB2312 and every character of the templates (~7,800 glyphs) and are
re-ordered so the characters documents use most (template text first) get the lowest glyph
ids: a one-page notice then embeds a few hundred low-numbered glyphs instead.

Anything not in the compact font (a rare hanzi in a name) falls back, through the CSS font
stack, to the full system Noto CJK face, so no glyph is ever missing.

The build is deterministic (same system font + same templates = same bytes) and takes about a
second: HarfBuzz's subsetter (libharfbuzz-subset, the library WeasyPrint itself uses) cuts the
face, then fontTools renumbers glyphs so that each glyph's CID equals its glyph id, which the
PDF spec requires for a CID-keyed CFF embedded with Identity-H (a viewer maps CIDs through the
CFF charset; with any other charset it would show the wrong glyphs).
"""

import hashlib
import json
import os
import subprocess
import tempfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from fontTools.ttLib import TTFont

BUILDER_VERSION = "4"
FONT_DIR = Path("assets") / "fonts"


@dataclass(frozen=True)
class Face:
    file_name: str  # under templates/assets/fonts/
    pattern: str  # fontconfig pattern of the source face
    fallback_path: str  # Debian fonts-noto-cjk location, used when fc-match is unavailable
    fallback_index: int
    extension: bool = False  # the rest of the CJK ideographs, after the main face in the font stack
    latin: bool = False  # LATIN_PUNCTUATION from a Latin face, first in the English font stacks
    source_kind: str = "CJK"  # what the fc-match result's path must contain to be taken
    pairs: str = ""  # a Latin face: the CJK face (file name) whose spaces it copies


SERIF = ("Noto Serif CJK SC:style=Regular", "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2)
FACES = (
    Face("DossierSerif.otf", *SERIF),
    Face("DossierSans.otf", "Noto Sans CJK SC:style=Bold", "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", 2),
    # Names outside GB2312 (堃, 赟, 喆 ...): a face of its own so that the main face stays small
    # and fast to subset, and a rare character costs a subset of this face, not of the
    # 65,535-glyph system face (~25 ms and ~80 KB per document).
    Face("DossierSerifExt.otf", *SERIF, extension=True),
    # English documents (en-US.css) take LATIN_PUNCTUATION from these before the Noto CJK faces.
    Face("DossierSerifLatin.ttf", "Liberation Serif:style=Regular",
         "/usr/share/fonts/truetype/liberation2/LiberationSerif-Regular.ttf", 0, latin=True,
         source_kind="Liberation", pairs="DossierSerif.otf"),
    Face("DossierSansLatin.ttf", "Liberation Sans:style=Bold",
         "/usr/share/fonts/truetype/liberation2/LiberationSans-Bold.ttf", 0, latin=True,
         source_kind="Liberation", pairs="DossierSans.otf"),
)
# The Latin-1 and General Punctuation characters Noto CJK SC sets a full em wide (its CJK forms:
# "§ 392.304" printed with an ideograph-wide section sign; the compact faces drop GSUB, so CSS
# font-feature-settings "pwid" cannot reach the few proportional forms it has, and it has none
# for § ¶ × ± ÷). English text takes them from the Latin faces above; Chinese text keeps the
# full-width forms (zh-CN.css does not name the Latin faces). tests/documents/test_fonts_latin.py
# checks the list against the system faces.
LATIN_PUNCTUATION = "§±¶·×÷‐―‖‘’“”†‡•…‰"
SPACES = " \u00a0"  # in the Latin faces too, as wide as in the CJK faces (_latin_face)
EXTENSION_BLOCKS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))
# Vertical metrics and layout tables are not needed for horizontal documents; dropping GSUB
# also stops the subsetter from pulling in thousands of alternate forms by closure.
DROP_TABLES = ("GSUB", "GPOS", "BASE", "VORG", "vhea", "vmtx", "DSIG")
BLOCKS = (
    (0x0020, 0x007E), (0x00A0, 0x017F), (0x2000, 0x206F), (0x20A0, 0x20CF), (0x2100, 0x218F),
    (0x2190, 0x21FF), (0x2460, 0x24FF), (0x25A0, 0x25FF), (0x2600, 0x26FF), (0x2700, 0x27BF),
    (0x3000, 0x303F), (0xFF00, 0xFFEF),
)
CAPITAL_DIGITS = "零壹贰叁肆伍陆柒捌玖拾佰仟万亿元角分整"


def font_dir(templates_dir: Path) -> Path:
    return templates_dir / FONT_DIR


def built_fonts(templates_dir: Path) -> list[Path]:
    """The compact font files, if they have been built."""
    paths = [font_dir(templates_dir) / face.file_name for face in FACES]
    return paths if all(p.is_file() for p in paths) else []


def gb2312() -> tuple[list[int], list[int]]:
    """GB2312 hanzi level 1 (common, 3,755) and level 2 (3,008), in code order; plus symbols."""
    level1: list[int] = []
    level2: list[int] = []
    for high in range(0xA1, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                char = bytes((high, low)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            (level1 if high < 0xD8 else level2).append(ord(char))
    return level1, level2


def template_text(templates_dir: Path) -> str:
    """All text of the templates (HTML, SMS, CSS content strings, DOCX XML)."""
    parts = []
    for path in sorted(templates_dir.rglob("*")):
        if path.suffix in (".html", ".txt", ".css"):
            parts.append(path.read_text(encoding="utf-8"))
        elif path.suffix == ".docx":
            parts.append(_docx_text(path))
    return "".join(parts)


def _docx_text(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(n).decode("utf-8", "ignore") for n in archive.namelist()
                       if n.endswith(".xml"))


DATA = Path(__file__).resolve().parent / "data"


def prior(name: str) -> list[int]:
    """Code points of a glyph-priority list (data/*.txt; '#' lines are comments)."""
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return [ord(c) for line in lines if not line.startswith("#") for c in line.strip()]


def priority(templates_dir: Path) -> list[int]:
    """Code points in glyph-id order: ASCII, template characters by frequency, capitals, the
    characters names and addresses use most, then the rest of GB2312."""
    counts = Counter(ord(c) for c in template_text(templates_dir) if ord(c) > 0x7E)
    ordered = [*range(0x20, 0x7F), *sorted(counts, key=lambda cp: (-counts[cp], cp))]
    level1, level2 = gb2312()
    ordered += [ord(c) for c in CAPITAL_DIGITS] + prior("glyph_priority.txt") + level1 + level2
    ordered += [cp for lo, hi in BLOCKS for cp in range(lo, hi + 1)]
    return list(dict.fromkeys(ordered))


def source_face(face: Face) -> tuple[str, int]:
    try:
        out = subprocess.run(["fc-match", "-f", "%{file}|%{index}", face.pattern],
                             capture_output=True, text=True, check=True, timeout=30).stdout
        path, index = out.rsplit("|", 1)
        if face.source_kind in path:
            return path, int(index)
    except (OSError, subprocess.SubprocessError, ValueError):
        pass
    return face.fallback_path, face.fallback_index


def build_fonts(templates_dir: Path, *, force: bool = False) -> list[Path]:
    """Build (or rebuild) the compact fonts and their manifest; return the font paths."""
    target = font_dir(templates_dir)
    target.mkdir(parents=True, exist_ok=True)
    order = priority(templates_dir)
    main = set(order)
    rest = list(dict.fromkeys(cp for cp in [*prior("glyph_priority_ext.txt"),
                                            *(c for lo, hi in EXTENSION_BLOCKS for c in range(lo, hi + 1))]
                              if cp not in main))
    manifest: dict[str, Any] = {"builder": BUILDER_VERSION, "templates": templates_digest(templates_dir),
                                "signature": templates_signature(templates_dir), "faces": []}
    for face in FACES:
        path, index = source_face(face)
        dest = target / face.file_name
        data = (_latin_face(path, index, source_face(next(f for f in FACES if f.file_name == face.pairs)))
                if face.latin
                else _compact_face(path, index, rest if face.extension else order))
        if force or not dest.is_file() or dest.read_bytes() != data:
            _write_atomic(dest, data)
        manifest["faces"].append({
            "file": face.file_name, "source": path, "index": index,
            "source_sha256": _sha256_file(Path(path)), "sha256": hashlib.sha256(data).hexdigest(),
        })
    _write_atomic(target / "fonts.json", json.dumps(manifest, indent=2).encode())
    return [target / face.file_name for face in FACES]


def _compact_face(path: str, index: int, order: list[int]) -> bytes:
    from service.documents import hbsubset

    with tempfile.TemporaryDirectory() as tmp:
        cut = Path(tmp) / "cut.otf"
        cut.write_bytes(hbsubset.subset_unicodes(path, index, order, drop_tables=DROP_TABLES))
        font = TTFont(cut, recalcBBoxes=False, recalcTimestamp=False)
        renumber(font, order)
        out = Path(tmp) / "out.otf"
        font.save(out)
        return out.read_bytes()


def _latin_face(path: str, index: int, spaces_like: tuple[str, int]) -> bytes:
    """LATIN_PUNCTUATION from a Latin face: a few glyphs, no layout tables. And the spaces, as
    wide as the CJK face's (`spaces_like`): Pango keeps a space after "§" in the § run whatever
    face it is, so the face needs one, and a space is as wide there as anywhere in the text. The
    line metrics are the CJK face's too."""
    from service.documents import hbsubset

    cut = hbsubset.subset_unicodes(path, index, [ord(c) for c in SPACES + LATIN_PUNCTUATION],
                                   drop_tables=("GSUB", "GPOS", "GDEF", "kern", "DSIG"))
    cjk = TTFont(spaces_like[0], fontNumber=spaces_like[1], lazy=True)
    cjk_cmap, cjk_metrics, cjk_em = cjk.getBestCmap(), cjk["hmtx"].metrics, cjk["head"].unitsPerEm
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "cut.ttf").write_bytes(cut)
        font = TTFont(Path(tmp) / "cut.ttf", recalcBBoxes=False, recalcTimestamp=False)
        scale = font["head"].unitsPerEm / cjk_em
        metrics = font["hmtx"].metrics
        for char in SPACES:
            glyph = font.getBestCmap()[ord(char)]
            metrics[glyph] = (round(cjk_metrics[cjk_cmap[ord(char)]][0] * scale), metrics[glyph][1])
        # the CJK face's line metrics: a line holding a § is as tall as any other, and a word's box
        # as a PDF reader measures it (ascent + descent) is that of the text around it
        for table, names in (("hhea", ("ascent", "descent", "lineGap")),
                             ("OS/2", ("sTypoAscender", "sTypoDescender", "sTypoLineGap", "usWinAscent",
                                       "usWinDescent"))):
            for name in names:
                setattr(font[table], name, round(getattr(cjk[table], name) * scale))
        out = Path(tmp) / "out.ttf"
        font.save(out)
        return out.read_bytes()


def renumber(font: TTFont, order: Iterable[int]) -> None:
    """Reorder glyphs by `order` (code points first in the list get low ids) and rename them
    so that each glyph's CID equals its new glyph id."""
    import copy

    cmap = font.getBestCmap()
    old_order = font.getGlyphOrder()
    first = list(dict.fromkeys(cmap[cp] for cp in order if cp in cmap and cmap[cp] != ".notdef"))
    seen = set(first) | {".notdef"}
    new_order = [".notdef", *first, *(g for g in old_order if g not in seen)]
    rename = {old: (".notdef" if i == 0 else f"cid{i:05d}") for i, old in enumerate(new_order)}
    top = font["CFF "].cff.topDictIndex[0]
    strings = top.CharStrings
    index_of = dict(strings.charStrings)
    if hasattr(top, "FDSelect"):
        # Charstrings keep their old index while the new FDSelect follows the new order.
        old_select = top.FDSelect
        new_select = copy.copy(old_select)
        new_select.gidArray = [old_select.gidArray[index_of[g]] for g in new_order]
        strings.fdSelect, top.FDSelect = old_select, new_select
    strings.charStrings = {rename[name]: idx for name, idx in index_of.items()}
    top.charset = [rename[g] for g in new_order]
    for table in font["cmap"].tables:
        if table.format == 14:
            table.uvsDict = {k: [(u, None if g is None else rename[g]) for u, g in v]
                             for k, v in table.uvsDict.items()}
        else:
            table.cmap = {cp: rename[g] for cp, g in table.cmap.items()}
    font["hmtx"].metrics = {rename[k]: v for k, v in font["hmtx"].metrics.items()}
    font.setGlyphOrder([rename[g] for g in new_order])


def _write_atomic(dest: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
    with os.fdopen(fd, "wb") as out:
        out.write(data)
    os.chmod(tmp, 0o644)  # mkstemp makes 0600; every renderer process must read these
    os.replace(tmp, dest)


def _sha256_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def digest(paths: Iterable[Path]) -> str:
    found = hashlib.sha256()
    for path in paths:
        found.update(path.name.encode() + b"\0" + hashlib.sha256(path.read_bytes()).digest())
    return found.hexdigest()


def templates_digest(templates_dir: Path) -> str:
    """What the glyph order depends on: the templates' text and the priority lists."""
    names = ("glyph_priority.txt", "glyph_priority_ext.txt")
    priors = "".join((DATA / n).read_text(encoding="utf-8") for n in names)
    return hashlib.sha256((template_text(templates_dir) + priors).encode("utf-8")).hexdigest()


def templates_signature(templates_dir: Path) -> str:
    """Cheap stand-in for ``templates_digest``: names, sizes and times of the same files."""
    found = hashlib.sha256()
    paths = [*sorted(templates_dir.rglob("*")), DATA / "glyph_priority.txt", DATA / "glyph_priority_ext.txt"]
    for path in paths:
        if path.suffix in (".html", ".txt", ".css", ".docx") and path.is_file():
            stat = path.stat()
            found.update(f"{path}|{stat.st_size}|{stat.st_mtime_ns}\n".encode())
    return found.hexdigest()


def _manifest(templates_dir: Path) -> dict[str, Any]:
    path = font_dir(templates_dir) / "fonts.json"
    return dict(json.loads(path.read_text())) if path.is_file() else {}


def is_current(templates_dir: Path) -> bool:
    """Built, by this builder, for the templates as they are now (their characters come first).
    Compares file signatures first (a few ms at every process start) and reads the templates
    only when a file changed."""
    recorded = _manifest(templates_dir)
    if not built_fonts(templates_dir) or recorded.get("builder") != BUILDER_VERSION:
        return False
    signature = templates_signature(templates_dir)
    if recorded.get("signature") == signature:
        return True
    if recorded.get("templates") != templates_digest(templates_dir):
        return False
    _write_atomic(font_dir(templates_dir) / "fonts.json", json.dumps({**recorded, "signature": signature},
                                                                     indent=2).encode())
    return True


def loaded_digest(templates_dir: Path) -> str:
    """The fonts' identity as recorded when they were built (no need to re-hash 13 MB)."""
    faces = _manifest(templates_dir).get("faces", [])
    return hashlib.sha256("".join(f"{f['file']}:{f['sha256']};" for f in faces).encode()).hexdigest()


def ensure_fonts(templates_dir: Path) -> list[Path]:
    """The compact fonts, (re)built first when missing or older than the templates (~3 s)."""
    return built_fonts(templates_dir) if is_current(templates_dir) else build_fonts(templates_dir)


def glyph_coverage(path: Path) -> set[int]:
    return set(TTFont(path, lazy=True).getBestCmap())


def iter_missing(text: str, fonts: Iterable[Path]) -> Iterator[str]:
    """Characters of `text` no compact font covers (they will use the system fallback)."""
    covered: set[int] = set().union(*(glyph_coverage(p) for p in fonts))
    for char in dict.fromkeys(text):
        if ord(char) > 0x20 and ord(char) not in covered:
            yield char
