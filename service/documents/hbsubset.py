"""Font subsetting with HarfBuzz's subsetter, through uharfbuzz (which bundles HarfBuzz).

Two uses: ``dossier fonts build`` cuts each 26 MB Noto CJK face to the compact faces (~8,000
code points, ~1.3 s; fontTools' pure-Python subsetter takes about a minute), and a filled form
embeds a small subset of a compact face per document (a prepared face: ~0.3 ms per subset).

This replaced a hand-written cffi binding to the system's libharfbuzz-subset (6.0); uharfbuzz
0.57 bundles HarfBuzz 15. Measured on the same 2-core machine under a load average of ~20,
interleaved runs: a 40-glyph subset of the prepared serif face 0.285–0.303 ms with either (median
of 300); cutting the Noto face to 8,117 code points 1.29–1.30 s (cffi) and 1.32–1.51 s; a 10-glyph
subset of the unprepared 8.7 MB extension face, which only rare characters reach, 1.05 ms against
1.5–2.9 ms; and the notice path that ``make bench`` times (``bench.notice_systems product-single
200 pdf``, three runs each, CPU seconds) 3.26 / 3.53 / 3.84 s (cffi) against 3.50 / 4.01 / 3.64 s —
medians 3.53 and 3.64, within the run-to-run spread. As fast where it counts, with a maintained
binding instead of C declarations of ours to keep in step with the system library.
"""

import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import uharfbuzz as hb


def _tag(name: str) -> int:
    return int.from_bytes(name.ljust(4).encode("ascii"), "big")


def subset_unicodes(path: str, index: int, codepoints: Sequence[int], *,
                    drop_tables: Iterable[str] = ()) -> bytes:
    """The face `index` of `path` cut to `codepoints` (glyph ids renumbered, names kept)."""
    face = hb.Face(hb.Blob.from_file_path(path), index)
    request = hb.SubsetInput()
    request.unicode_set.update(codepoints)
    for names in (request.name_id_set, request.name_lang_id_set):  # keep the whole name table
        names.clear()
        names.invert()
    request.drop_table_tag_set.update(_tag(table) for table in drop_tables)
    request.flags = hb.SubsetFlags.NOTDEF_OUTLINE
    return _subset_bytes(face, request, f"{path}#{index}")


def _subset_bytes(face: hb.Face, request: hb.SubsetInput, name: str) -> bytes:
    try:
        result = hb.subset(face, request)
    except hb.HarfBuzzError as exc:
        raise RuntimeError(f"HarfBuzz could not subset {name}: {exc}") from exc
    return bytes(result.blob.data)


@dataclass(frozen=True)
class _Face:
    """A parsed face kept for the life of the process (HarfBuzz parses tables lazily, once)."""

    face: hb.Face
    lock: threading.Lock


@lru_cache(maxsize=8)
def _face(path: str, prepare: bool) -> _Face:
    face = hb.Face(hb.Blob.from_file_path(path), 0)
    # A face prepared for repeated subsetting: tables parsed and indexed once, so each subset
    # costs the glyphs it keeps rather than a pass over the face.
    return _Face(hb.subset_preprocess(face) if prepare else face, threading.Lock())


def subset_glyphs(path: str, glyphs: Sequence[int], *, prepare: bool = True) -> bytes:
    """Face 0 of `path` cut to the sorted glyph ids `glyphs`, without hinting.

    Glyph ids are renumbered, but a CID-keyed CFF keeps each glyph's CID in its charset, so a
    PDF that addresses the glyphs by CID (Identity-H, as the compact faces are built with
    CID = glyph id) needs no remapping. ``prepare`` indexes the face once for fast repeated
    subsetting (~1 s for an 8,000-glyph face, then ~0.3 ms per small subset instead of ~1–3 ms):
    worth it for faces most documents use, not for one used now and then.
    """
    face = _face(path, prepare)
    request = hb.SubsetInput()
    request.glyph_set.update(glyphs)
    request.flags = hb.SubsetFlags.NO_HINTING | hb.SubsetFlags.DESUBROUTINIZE
    with face.lock:
        return _subset_bytes(face.face, request, path)
