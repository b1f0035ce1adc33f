"""Web users: created, signed in with a password, locked out after repeated failures, signed out.

The lock-out here is per account and lives in the database (it holds across processes and
restarts). A failed sign-in also answers 401, which the request guard counts per address
(``auth_failure_limit``), so guessing across many accounts from one address is stopped too.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.access.models import User, WebSession
from service.access.security import ROLES, hash_key, hash_password, needs_rehash, new_session_token, password_matches
from service.core import trail
from service.core.clock import utcnow
from service.core.errors import Conflict, FieldError, InvalidInput, NotFound, ServiceError
from service.core.security import Principal
from service.core.settings import Settings

# Verified when the user name is unknown, so an unknown name costs the same time as a known one.
_DUMMY_HASH = hash_password("dossier-no-such-user")
MIN_PASSWORD = 10


class SignInRefused(ServiceError):
    """Wrong user name or password, a locked or a disabled account: one message for all, so the
    answer does not tell which user names exist. ``locked`` lets the page say to wait."""

    status_code = 401
    title = "Sign-in refused"
    type_slug = "sign-in-refused"

    def __init__(self, *, locked: bool = False) -> None:
        super().__init__("locked" if locked else "invalid")
        self.locked = locked


@dataclass(frozen=True)
class SignedIn:
    token: str  # the cookie's value, known only to the browser
    principal: Principal
    display_name: str


def principal_of(user: User) -> Principal:
    return Principal(actor=f"user:{user.username}", role=user.role, law_firm_id=user.law_firm_id)


def create_user(session: Session, *, username: str, password: str, role: str, law_firm_id: int | None = None,
                display_name: str = "", actor: str = "system") -> User:
    errors = []
    if role not in ROLES:
        errors.append(("role", f"must be one of {', '.join(ROLES)}"))
    if role == "law_firm" and law_firm_id is None:
        errors.append(("firm", "a law_firm user must name its firm"))
    if len(password) < MIN_PASSWORD:
        errors.append(("password", f"must have at least {MIN_PASSWORD} characters"))
    if not username.strip() or session.scalar(select(User.id).where(User.username == username)) is not None:
        errors.append(("username", "is empty or taken"))
    if errors:
        raise InvalidInput([FieldError(f, m) for f, m in errors])
    user = User(username=username, display_name=display_name or username, password_hash=hash_password(password),
                role=role, law_firm_id=law_firm_id if role == "law_firm" else None, created_at=utcnow())
    session.add(user)
    session.flush()
    trail.record(session, actor=actor, action="user.created", object_type="user", object_id=user.id,
                 data={"role": role, "law_firm_id": user.law_firm_id})
    return user


def sign_in(session: Session, settings: Settings, username: str, password: str) -> SignedIn:
    """A session for the user, or SignInRefused. The failure count is written even though the
    caller's answer is an error: the caller commits it (``record_failure`` below)."""
    now = utcnow()
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        password_matches(password, _DUMMY_HASH)
        raise SignInRefused()
    if user.locked_until is not None and user.locked_until > now:
        raise SignInRefused(locked=True)
    if user.disabled_at is not None or not password_matches(password, user.password_hash):
        raise SignInRefused(locked=_record_failure(session, settings, user))
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.failed_logins, user.locked_until = 0, None
    token, digest = new_session_token()
    session.add(WebSession(token_hash=digest, user_id=user.id, created_at=now,
                           expires_at=now + timedelta(hours=settings.web_session_hours)))
    trail.record(session, actor=principal_of(user).actor, action="user.signed_in", object_type="user",
                 object_id=user.id)
    session.flush()
    return SignedIn(token, principal_of(user), user.display_name or user.username)


def _record_failure(session: Session, settings: Settings, user: User) -> bool:
    """Count a failed password; at the limit the account locks. True when it is now locked."""
    user.failed_logins += 1
    locked = user.failed_logins >= settings.login_failure_limit
    if locked:
        user.failed_logins = 0
        user.locked_until = utcnow() + timedelta(minutes=settings.login_lockout_minutes)
        trail.record(session, actor="system", action="user.locked_out", object_type="user", object_id=user.id,
                     data={"minutes": settings.login_lockout_minutes})
    session.flush()
    return locked


@dataclass(frozen=True)
class WebUser:
    principal: Principal
    username: str
    display_name: str
    session_id: int


def session_user(session: Session, token: str) -> WebUser | None:
    """The signed-in user of a cookie's token, or None (unknown, ended, expired, user disabled)."""
    if not token:
        return None
    row = session.execute(
        select(WebSession, User).join(User, User.id == WebSession.user_id)
        .where(WebSession.token_hash == hash_key(token))
    ).first()
    if row is None:
        return None
    web, user = row
    if web.ended_at is not None or web.expires_at <= utcnow() or user.disabled_at is not None:
        return None
    return WebUser(principal_of(user), user.username, user.display_name or user.username, web.id)


def sign_out(session: Session, token: str) -> None:
    now = utcnow()
    session.execute(update(WebSession).where(WebSession.token_hash == hash_key(token), WebSession.ended_at.is_(None))
                    .values(ended_at=now))
    session.flush()


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def set_disabled(session: Session, user_id: int, disabled: bool, *, actor: str) -> User:
    """Disable (its sessions stop at once: ``session_user`` checks) or enable a user."""
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(f"user {user_id} does not exist")
    if disabled and actor == principal_of(user).actor:
        raise Conflict("you cannot disable yourself")
    user.disabled_at = utcnow() if disabled else None
    trail.record(session, actor=actor, action="user.disabled" if disabled else "user.enabled", object_type="user",
                 object_id=user.id)
    session.flush()
    return user
