"""Inert copies of uploaded PDFs for the packet: nothing in them can act when the packet is opened.

An uploaded PDF's pages are copied into the litigation packet. Whatever hangs off those pages
comes along: a page-open JavaScript action, a link that launches ``cmd.exe``, a link to a server
on the reader's network, a form field's calculation script, an attached executable. The packet
gets an inert copy instead; the original stays byte-exact in the bundle (``originals/``) with its
hash, and the manifest lists what the copy lost (`Removed`).

Removed from the copy:
- every action (``/A``, ``/AA``, ``/OpenAction``, ``/PA``), whatever its type — JavaScript,
  Launch, URI, GoToR/GoToE, SubmitForm, ImportData, Rendition, … — and the chains they carry;
- links that then lead nowhere, and links to a destination outside the file;
- embedded files: ``/EF`` of every file specification, the ``/EmbeddedFiles`` name tree, and
  file-attachment, sound, movie, screen, rich-media and 3D annotations;
- the interactive form (``/AcroForm``, XFA included): fields keep their printed appearance but
  lose their scripts;
- the document's JavaScript name tree and base URI.

Page content, images, fonts, bookmarks' titles and internal links to the file's own pages stay.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from evidence.errors import AssemblyError

_ACTION_KEYS = ("/A", "/PA")
_TRIGGER_KEYS = ("/AA", "/OpenAction")
_ACTIVE_ANNOTATIONS = frozenset(
    {"/FileAttachment", "/Sound", "/Movie", "/Screen", "/RichMedia", "/3D"}
)
_CATALOG_KEYS = {"/AcroForm": "interactive form with its scripts", "/URI": "base URI"}
_NAME_TREES = {"/JavaScript": "document JavaScript", "/EmbeddedFiles": "embedded files"}
_TARGET_KEYS = ("/URI", "/F", "/Win", "/Unix", "/Mac")
_MAX_TARGET = 120


@dataclass(frozen=True, slots=True)
class Removed:
    """One active element taken out of the copy: where (page 1-based, 0 for the document)
    and what, in words for the manifest."""

    page: int
    what: str

    def __str__(self) -> str:
        return f"{'document' if self.page == 0 else f'page {self.page}'}: {self.what}"


def make_inert(source: Path, dest: Path) -> list[Removed]:
    """Write an inert copy of the PDF `source` to `dest`; return what was removed."""
    try:
        with pikepdf.open(source) as pdf:
            removed = strip_active_content(pdf)
            fd, name = tempfile.mkstemp(prefix=f".{dest.name}.", dir=dest.parent)
            os.close(fd)
            try:
                with warnings.catch_warnings():
                    # Form widgets keep their printed appearance without the form they belonged to.
                    warnings.simplefilter("ignore", pikepdf.PageCopyWarning)
                    pdf.save(name)
                os.replace(name, dest)
            finally:
                Path(name).unlink(missing_ok=True)
    except pikepdf.PdfError as exc:
        raise AssemblyError(f"cannot make {source.name} inert: {exc}") from exc
    return removed


def strip_active_content(pdf: pikepdf.Pdf) -> list[Removed]:
    """Remove every active element from `pdf` in place; return what was removed."""
    where = _locations(pdf)
    removed = _strip_catalog(pdf)
    for obj in list(pdf.objects):
        if isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
            removed += _sweep(obj, where.get(obj.objgen, 0))
    removed += _strip_annotations(pdf)
    return sorted(_unique(removed), key=lambda r: r.page)


def _locations(pdf: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    """Page number of each page and of each annotation held by reference."""
    where: dict[tuple[int, int], int] = {}
    for number, page in enumerate(pdf.pages, start=1):
        where[page.obj.objgen] = number
        for annotation in _annotations(page.obj):
            if annotation.is_indirect:
                where[annotation.objgen] = number
    return where


def _strip_catalog(pdf: pikepdf.Pdf) -> list[Removed]:
    root, removed = pdf.Root, []
    for key, what in _CATALOG_KEYS.items():
        if key in root:
            del root[key]
            removed.append(Removed(0, what))
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        for key, what in _NAME_TREES.items():
            if key in names:
                del names[key]
                removed.append(Removed(0, what))
    return removed


def _sweep(node: pikepdf.Object, page: int) -> list[Removed]:
    """Remove actions and embedded files from `node` and the direct objects inside it
    (objects held by reference are swept on their own)."""
    removed: list[Removed] = []
    if isinstance(node, pikepdf.Dictionary | pikepdf.Stream):
        removed += _drop_actions(node, page)
        if "/EF" in node:
            removed.append(Removed(page, f"embedded file {_target(node)}".rstrip()))
            del node["/EF"]
        children = [node[key] for key in list(node.keys())]
    elif isinstance(node, pikepdf.Array):
        children = list(node)
    else:
        return removed
    for child in children:
        if isinstance(child, pikepdf.Object) and not child.is_indirect:
            removed += _sweep(child, page)
    return removed


def _drop_actions(node: pikepdf.Object, page: int) -> list[Removed]:
    removed: list[Removed] = []
    for key in _ACTION_KEYS:
        action = node.get(key)
        if isinstance(action, pikepdf.Dictionary) and "/S" in action:
            context = "on a link" if node.get("/Subtype") == pikepdf.Name.Link else "on an element"
            removed += [Removed(page, f"{what} {context}") for what in _actions(action)]
            del node[key]
    for key in _TRIGGER_KEYS:
        if key in node:
            trigger = "on opening" if key == "/OpenAction" else "on an event"
            found = [what for action in _triggered(node[key], key) for what in _actions(action)]
            removed += [Removed(page, f"{what} {trigger}") for what in found or ["action"]]
            del node[key]
    return removed


def _triggered(value: pikepdf.Object, key: str) -> list[pikepdf.Object]:
    """The actions of an /OpenAction (one) or of an /AA dictionary (one per event)."""
    if key == "/OpenAction":
        return [value]
    if isinstance(value, pikepdf.Dictionary):
        return [value[event] for event in list(value.keys())]
    return []


def _actions(action: pikepdf.Object, depth: int = 0) -> Iterator[str]:
    """Each action of a chain (`/Next`) in words: its type and, for those that leave the
    file, its target."""
    if not isinstance(action, pikepdf.Dictionary) or depth > 32:
        return
    kind = str(action.get("/S", "/unknown")).lstrip("/")
    target = _target(action)
    yield f"{kind} action" + (f" ({target})" if target else "")
    follow = action.get("/Next")
    for nxt in follow if isinstance(follow, pikepdf.Array) else [follow] if follow is not None else []:
        yield from _actions(nxt, depth + 1)


def _target(node: pikepdf.Object) -> str:
    for key in _TARGET_KEYS:
        value = node.get(key)
        if isinstance(value, pikepdf.Dictionary):
            value = value.get("/F", value.get("/UF"))
        if isinstance(value, pikepdf.String | pikepdf.Name):
            return _printable(str(value))
    if isinstance(node.get("/UF"), pikepdf.String):
        return _printable(str(node["/UF"]))
    return ""


def _printable(text: str) -> str:
    # Targets are the uploader's bytes: kept readable, never able to reorder the manifest's text.
    cleaned = "".join(c if c.isprintable() and c.isascii() else "?" for c in text)
    return cleaned[:_MAX_TARGET] + ("…" if len(cleaned) > _MAX_TARGET else "")


def _strip_annotations(pdf: pikepdf.Pdf) -> list[Removed]:
    pages = {page.obj.objgen for page in pdf.pages}
    removed: list[Removed] = []
    for number, page in enumerate(pdf.pages, start=1):
        annotations = page.obj.get("/Annots")
        if not isinstance(annotations, pikepdf.Array):
            continue
        kept = pikepdf.Array()
        for annotation in annotations:
            reason = _why_drop(annotation, pages)
            if reason is None:
                kept.append(annotation)
            elif reason:
                removed.append(Removed(number, reason))
        page.obj.Annots = kept
    return removed


def _why_drop(annotation: pikepdf.Object, pages: set[tuple[int, int]]) -> str | None:
    """None to keep the annotation; a reason (or "" when already reported) to drop it."""
    if not isinstance(annotation, pikepdf.Dictionary):
        return ""
    subtype = str(annotation.get("/Subtype", ""))
    if subtype in _ACTIVE_ANNOTATIONS:
        return f"{subtype.lstrip('/')} annotation"
    if subtype != "/Link":
        return None
    dest = annotation.get("/Dest")
    if dest is None:
        return ""  # its action, if any, was removed and reported: the link now leads nowhere
    if isinstance(dest, pikepdf.Array) and len(dest) and dest[0].is_indirect and dest[0].objgen in pages:
        return None  # a link to one of the file's own pages
    return "link to a destination outside the file"


def _annotations(page: pikepdf.Object) -> list[pikepdf.Object]:
    annotations = page.get("/Annots")
    return list(annotations) if isinstance(annotations, pikepdf.Array) else []


def _unique(removed: list[Removed]) -> list[Removed]:
    return list(dict.fromkeys(removed))
