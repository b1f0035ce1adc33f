"""The UI's Jinja2 environment and the one function that renders a page with what every page needs
(the signed-in user, the CSRF token, the translator)."""

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from starlette.responses import HTMLResponse

from service.cases.rules import rule_title
from service.documents.completeness import kind_titles
from service.web import auth
from service.web.i18n import LOCALES, Translator

_env = Environment(loader=FileSystemLoader(Path(__file__).parent / "templates"), autoescape=select_autoescape(
    default=True), undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
templates = Jinja2Templates(env=_env)


def money(value: Decimal | int | str | None) -> str:
    if value is None or value == "":
        return "—"
    return f"{Decimal(str(value)):,.2f}"


def when(value: datetime | None, tz: str = "Asia/Shanghai") -> str:
    return value.astimezone(ZoneInfo(tz)).strftime("%Y-%m-%d %H:%M") if value else "—"


def day(value: date | str | None) -> str:
    return str(value) if value else "—"


def size(value: int | None) -> str:
    if value is None:
        return "—"
    number = float(value)
    for unit in ("B", "KB", "MB", "GB"):
        if number < 1024 or unit == "GB":
            return f"{number:.0f} {unit}" if unit == "B" else f"{number:.1f} {unit}"
        number /= 1024
    return str(value)


_env.filters.update(money=money, when=when, day=day, size=size)
_env.globals.update(rule_title=rule_title)


def render(request: Request, name: str, context: dict[str, Any] | None = None, *, status_code: int = 200,
           user: auth.WebUser | None = None) -> HTMLResponse:
    locale = auth.locale_of(request)
    titles = kind_titles(request.app.state.settings.templates_dir, locale)
    base = {"t": Translator(locale), "lang": locale, "locales": LOCALES, "user": user,
            "kind_title": lambda kind: titles.get(kind, kind),
            "csrf_token": auth.csrf_token(request), "path": request.url.path,
            "full_path": request.url.path + (f"?{request.url.query}" if request.url.query else "")}
    response = templates.TemplateResponse(request, name, {**base, **(context or {})}, status_code=status_code)
    auth.ensure_pre_cookie(request, response)
    return response
