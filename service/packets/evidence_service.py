"""Evidence received for a case: validated by content, stored by hash, every act audited."""

import hashlib
import io
import tempfile
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from sqlalchemy import select
from sqlalchemy.orm import Session

from evidence.errors import UploadRejected
from evidence.validate import Limits, inspect_upload
from service.cases.models import DebtCase, LawFirm, Visit
from service.cases.rules import load_ruleset
from service.core import trail
from service.core.clock import today, utcnow
from service.core.errors import FieldError, InvalidInput, NotFound, ServiceError
from service.core.security import Principal
from service.core.settings import Settings
from service.core.storage import get_store
from service.core.text import LONG_TEXT, SHORT_TEXT, text_problem
from service.documents import provided
from service.packets.models import EvidenceItem
from service.packets.schemas import REDACTABLE, Category, Form

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
            actor: str, redaction_of: int | None = None, visit_id: int | None = None,
            at: datetime | None = None) -> EvidenceItem:
    """`redaction_of`: the upload of the case this file is a redacted copy of (Tex. R. Civ. P. 21c);
    the original keeps its row and its hash. `visit_id`: the visit of the case a signed visit
    record's scan records (a redacted copy of one takes its original's). `at`: the clock the upload
    is received by (the demo's fixed morning, history.RECORDS_ON_FILE); the real clock by default."""
    _check_metadata(title=title, category=category, form=form, source=source, purpose=purpose)
    original = _redacted_original(session, case, redaction_of, category)
    visit_id = _visit_of(session, case, category, visit_id, original)
    path = _spool(stream, settings.storage_dir / "tmp", settings.max_upload_bytes)
    try:
        info = inspect_upload(path, declared_name=filename, limits=Limits(max_bytes=settings.max_upload_bytes))
        if original is not None:
            _check_copy(path, info.media_type, original)
        stored = get_store(settings).put_file(path)
    except UploadRejected as exc:
        raise EvidenceRejected(str(exc.code), exc.message) from None
    finally:
        path.unlink(missing_ok=True)
    item = EvidenceItem(case_id=case.id, sha256=stored.sha256, size=stored.size, media_type=info.media_type,
                        filename=info.safe_name, title=title, category=category, form=Form(form).value, source=source,
                        original_available=original_available, purpose=purpose, pages=info.pages,
                        received_at=at or utcnow(), actor=actor, redaction_of=redaction_of, visit_id=visit_id)
    session.add(item)
    session.flush()
    links = {k: v for k, v in (("redaction_of", redaction_of), ("visit_id", visit_id)) if v is not None}
    trail.record(session, actor=actor, action="evidence.received", object_type="evidence", object_id=item.id,
                 case_id=case.id, data={"sha256": stored.sha256, "size": stored.size, "media_type": info.media_type,
                                        "category": category, **links}, at=item.received_at)
    return item


def _redacted_original(session: Session, case: DebtCase, item_id: int | None, category: str) -> EvidenceItem | None:
    """The upload a redacted copy names: one of this case's, a document (not a recording or a
    photo), not itself a copy, and of the category the copy is uploaded as."""
    if item_id is None:
        return None
    original = session.get(EvidenceItem, item_id)
    if original is None or original.case_id != case.id:
        raise InvalidInput.one("redaction_of", f"evidence {item_id} is not an upload of case {case.ref}")
    if original.redaction_of is not None:
        raise InvalidInput.one("redaction_of", f"evidence {item_id} is itself a redacted copy (of evidence "
                                               f"{original.redaction_of}): name the original")
    if original.category not in REDACTABLE or original.media_type.startswith("audio/"):
        raise InvalidInput.one("redaction_of", f"evidence {item_id} is a {original.category} upload "
                                               f"({original.media_type}): only documents are redacted, one of "
                                               f"{', '.join(sorted(REDACTABLE))}")
    if category != original.category:
        raise InvalidInput.one("category", f"a redacted copy is uploaded as its original's category: evidence "
                                           f"{item_id} is {original.category}, not {category}")
    return original


def _visit_of(session: Session, case: DebtCase, category: str, visit_id: int | None,
              original: EvidenceItem | None) -> int | None:
    """The visit a signed visit record's scan records: one of this case's visits. A redacted copy
    takes its original's visit where it names none, and may not name another."""
    if original is not None and visit_id is None:
        return original.visit_id
    if visit_id is None:
        return None
    if category != Category.SIGNED_VISIT_RECORD:
        raise InvalidInput.one("visit_id", f"only a {Category.SIGNED_VISIT_RECORD} upload names a visit, "
                                           f"not a {category} one")
    visit = session.get(Visit, visit_id)
    if visit is None or visit.case_id != case.id:
        raise InvalidInput.one("visit_id", f"visit {visit_id} is not a visit of case {case.ref}")
    if visit.started_at is None or visit.signature != "signed":  # its record is filed as made (plan._demands)
        why = "not recorded as made" if visit.started_at is None else visit.signature or "no signature recorded"
        raise InvalidInput.one("visit_id", f"visit {visit_id} of case {case.ref} was not signed by the borrower "
                                           f"({why}): a signed visit record's scan names a visit the borrower "
                                           "signed; an unsigned visit's record is filed as made")
    if original is not None and original.visit_id not in (None, visit_id):
        raise InvalidInput.one("visit_id", f"evidence {original.id} records visit {original.visit_id}: its "
                                           f"redacted copy records the same visit, not visit {visit_id}")
    return visit_id


def _check_copy(path: Path, media_type: str, original: EvidenceItem) -> None:
    """A redacted copy is a document, and another file than its original."""
    if media_type.startswith("audio/"):
        raise InvalidInput.one("file", f"a redacted copy of evidence {original.id} is a document or an image, "
                                       f"not {media_type}")
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    if digest.hexdigest() == original.sha256:
        raise InvalidInput.one("file", f"the file is evidence {original.id} itself (the same SHA-256), not a "
                                       "redacted copy of it")


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
