"""Evidence received for a case: validated by content, stored by hash, every act audited."""

import hashlib
import io
import tempfile
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.errors import UploadRejected
from evidence.validate import Limits, inspect_upload
from service.cases.models import DebtCase, LawFirm
from service.cases.rules import load_ruleset
from service.core import trail
from service.core.clock import today, utcnow
from service.core.errors import InvalidInput, NotFound, ServiceError
from service.core.security import Principal
from service.core.settings import Settings
from service.core.storage import get_store
from service.core.text import LONG_TEXT, SHORT_TEXT, text_problem
from service.documents import provided
from service.packets.models import EvidenceItem
from service.packets.schemas import Category, Form

CHUNK = 1024 * 1024


class EvidenceRejected(ServiceError):
    status_code = 422
    title = "Evidence refused"
    type_slug = "evidence-rejected"

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code

    def extra(self) -> dict[str, str]:
        return {"code": self.code}  # stable: clients key on it, the detail is for people


class TooLarge(EvidenceRejected):
    status_code = 413


def _spool(stream: BinaryIO, directory: Path, max_bytes: int) -> Path:
    """Copy the upload to disk in chunks, refusing it as soon as it passes the limit."""
    directory.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(dir=directory, prefix="upload-")
    path, size = Path(name), 0
    with open(fd, "wb") as out:
        while chunk := stream.read(CHUNK):
            size += len(chunk)
            if size > max_bytes:
                out.close()
                path.unlink(missing_ok=True)
                raise TooLarge("too_large", f"the file is larger than the limit of {max_bytes} bytes")
            out.write(chunk)
    return path


def receive(session: Session, settings: Settings, case: DebtCase, *, stream: BinaryIO, filename: str,
            title: str, category: str, form: str, source: str, original_available: bool, purpose: str,
            actor: str) -> EvidenceItem:
    _check_metadata(title=title, category=category, form=form, source=source, purpose=purpose)
    path = _spool(stream, settings.storage_dir / "tmp", settings.max_upload_bytes)
    try:
        info = inspect_upload(path, declared_name=filename, limits=Limits(max_bytes=settings.max_upload_bytes))
        stored = get_store(settings).put_file(path)
    except UploadRejected as exc:
        raise EvidenceRejected(str(exc.code), exc.message) from None
    finally:
        path.unlink(missing_ok=True)
    item = EvidenceItem(case_id=case.id, sha256=stored.sha256, size=stored.size, media_type=info.media_type,
                        filename=info.safe_name, title=title, category=category, form=Form(form).value, source=source,
                        original_available=original_available, purpose=purpose, pages=info.pages,
                        received_at=utcnow(), actor=actor)
    session.add(item)
    session.flush()
    trail.record(session, actor=actor, action="evidence.received", object_type="evidence", object_id=item.id,
                 case_id=case.id, data={"sha256": stored.sha256, "size": stored.size, "media_type": info.media_type,
                                        "category": category})
    return item


def _check_metadata(**fields: str) -> None:
    errors = [(k, "must not be empty") for k, v in fields.items() if not v.strip()]
    for name, value in fields.items():
        limit = LONG_TEXT if name == "purpose" else SHORT_TEXT
        if len(value) > limit:
            errors.append((name, f"must be at most {limit} characters (got {len(value)})"))
        elif (found := text_problem(value, multiline=name == "purpose")) is not None:
            errors.append((name, found))
    if fields["category"] not in set(Category):
        errors.append(("category", f"must be one of {', '.join(Category)}"))
    if _form(fields["form"]) is None:
        errors.append(("form", f"must be one of {', '.join(Form)}"))
    if errors:
        from service.core.errors import FieldError

        raise InvalidInput([FieldError(k, m) for k, m in errors])


def _form(value: str) -> Form | None:
    """The form a value names: its code, or the Chinese word earlier clients sent."""
    try:
        return Form(value)
    except ValueError:
        return None


def list_items(session: Session, case: DebtCase) -> list[EvidenceItem]:
    return list(session.scalars(select(EvidenceItem).where(EvidenceItem.case_id == case.id)
                                .order_by(EvidenceItem.id)))


def get_item(session: Session, case: DebtCase, item_id: int) -> EvidenceItem:
    item = session.get(EvidenceItem, item_id)
    if item is None or item.case_id != case.id:
        raise NotFound(f"evidence {item_id} does not exist in case {case.ref}")
    return item


def open_for_download(session: Session, settings: Settings, case: DebtCase, item_id: int, *,
                      actor: str) -> tuple[EvidenceItem, BinaryIO]:
    item = get_item(session, case, item_id)
    stream = get_store(settings).open(item.sha256)  # verifies the hash before a byte leaves
    trail.record(session, actor=actor, action="evidence.downloaded", object_type="evidence", object_id=item.id,
                 case_id=case.id, data={"sha256": item.sha256})
    return item, stream  # type: ignore[return-value]


def copy_item(settings: Settings, item: EvidenceItem, dest: Path) -> Path:
    get_store(settings).copy_to(item.sha256, dest)
    return dest





def deliver(session: Session, settings: Settings, case: DebtCase, item_id: int, *,
            principal: Principal) -> tuple[EvidenceItem, BinaryIO, str]:
    """An item on its way to `principal`, with the hash of what is sent. A law firm's PDF carries
    the "provided to" line on every page (documents.provided); the stored original and the
    copy inside a packet bundle stay as received."""
    item = get_item(session, case, item_id)
    firm = session.get(LawFirm, principal.law_firm_id) if principal.is_law_firm else None
    if firm is None or item.media_type != "application/pdf":
        found, stream = open_for_download(session, settings, case, item_id, actor=principal.actor)
        return found, stream, found.sha256
    locale = load_ruleset(case.profile).default_locale
    marked = provided.mark(get_store(settings).read_bytes(item.sha256), firm=firm.name,
                           on=today(settings.default_timezone), locale=locale, templates_dir=settings.templates_dir)
    digest = hashlib.sha256(marked).hexdigest()
    trail.record(session, actor=principal.actor, action="evidence.downloaded", object_type="evidence",
                 object_id=item.id, case_id=case.id,
                 data={"sha256": item.sha256, "delivered_sha256": digest, "marked_for": firm.code})
    return item, io.BytesIO(marked), digest
