"""The `dossier` command line (DESIGN §5)."""

import json
import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from service.core.settings import get_settings

app = typer.Typer(help="Dossier: case ledger, escalation and legal documents.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
demo_app = typer.Typer(help="Demo data.", no_args_is_help=True)
audit_app = typer.Typer(help="The audit trail.", no_args_is_help=True)
apikey_app = typer.Typer(help="API keys.", no_args_is_help=True)
evidence_app = typer.Typer(help="Evidence bundles.", no_args_is_help=True)
fonts_app = typer.Typer(help="Document fonts.", no_args_is_help=True)
store_app = typer.Typer(help="Stored bytes.", no_args_is_help=True)
user_app = typer.Typer(help="Web users.", no_args_is_help=True)
lawfirm_app = typer.Typer(help="Partner law firms.", no_args_is_help=True)
lender_app = typer.Typer(help="Lenders: a US lender's NMLS ID and state licences; the app borrowers repay in.",
                         no_args_is_help=True)
mark_app = typer.Typer(help="What became of a communication.", no_args_is_help=True)
for sub, name in ((db_app, "db"), (demo_app, "demo"), (audit_app, "audit"), (apikey_app, "apikey"),
                  (evidence_app, "evidence"), (fonts_app, "fonts"), (store_app, "store"), (user_app, "user"),
                  (lawfirm_app, "lawfirm"), (lender_app, "lender"), (mark_app, "mark")):
    app.add_typer(sub, name=name)
console = Console()
err = Console(stderr=True)


@app.callback()
def _start() -> None:
    """Before any command: every table mapped and the audit trail installed (service.models)."""
    import service.models  # noqa: F401


def _fail(message: str, code: int = 1) -> None:
    err.print(f"[red]error:[/red] {message}")
    raise typer.Exit(code)


def _case_locale(session: Any, case_ref: str) -> str:
    """The language a case's rule messages are printed in: its jurisdiction's (zh-CN for a CN case)."""
    from sqlalchemy import select

    from service.cases.models import DebtCase
    from service.cases.rules import load_ruleset

    profile = session.scalar(select(DebtCase.profile).where(DebtCase.ref == case_ref))
    return load_ruleset(profile).default_locale if profile else "en-US"


def _worded(violations: Any, locale: str, sep: str = " ") -> list[str]:
    """Each rule's message in `locale` where the rules' message catalogue words it, else in English."""
    return [f"{v.rule}{sep}{v.localized.get(locale, v.message)}" for v in violations]


@db_app.command("upgrade")
def db_upgrade() -> None:
    """Bring the database to the latest migration."""
    from service.core.migrate import upgrade

    settings = get_settings()
    upgrade(settings.database_url)
    console.print(f"database at head: {_safe_url(settings.database_url)}")


@db_app.command("reallocate")
def db_reallocate(refs: Annotated[list[str] | None, typer.Argument(
        help="the cases to reallocate (default every case)", show_default=False)] = None) -> None:
    """Recompute the stored allocation of every payment (table payment_allocation) from the case's
    history, as the claim and the documents apply it; only the rows that changed are replaced.
    Run it once after an upgrade that changes how payments are applied: rows stored before are
    otherwise replaced only when the case is next touched (a payment, a plan signed, a transition)."""
    from sqlalchemy import select

    from service.cases import activity
    from service.cases.models import DebtCase
    from service.core.db import unit_of_work

    settings = get_settings()
    with unit_of_work(settings.database_url, write=False) as session:
        known = list(session.scalars(select(DebtCase.ref).order_by(DebtCase.id)))
    missing = sorted(set(refs or ()) - set(known))
    if missing:
        _fail(f"no case {', '.join(missing)}")
    todo = [ref for ref in known if not refs or ref in refs]
    changed = cases = 0
    for start in range(0, len(todo), REALLOCATE_BATCH):  # one transaction per batch of cases
        with unit_of_work(settings.database_url) as session:
            for ref in todo[start:start + REALLOCATE_BATCH]:
                # queued behind any other writer to the case, as an API write is (cases.deps)
                session.scalars(select(DebtCase.id).where(DebtCase.ref == ref).with_for_update()).one()
                replaced = activity.reallocate(session, ref)
                changed += replaced
                cases += bool(replaced)
    console.print(f"reallocated {len(todo)} case(s): replaced the rows of {changed} payment(s) in {cases} case(s)")


REALLOCATE_BATCH = 100


def _safe_url(url: str) -> str:
    return url.split("@")[-1] if "@" in url else url


@demo_app.command("seed")
def demo_seed(cases: Annotated[int, typer.Option(help="how many cases")] = 64,
              seed: Annotated[int, typer.Option(help="random seed")] = 20261128,
              anchor: Annotated[str | None, typer.Option(help="the demo's 'today' (YYYY-MM-DD)")] = None,
              if_empty: Annotated[bool, typer.Option("--if-empty", help="only when no case exists")] = False,
              court_sets: Annotated[bool, typer.Option(
                  help="then a pre-litigation case for each CN lender licence type and each US state (NY, CA, IL, "
                       "TX)")] = True) -> None:
    """Create realistic demo cases in every stage around the anchor day; print demo API keys and logins."""
    from service.core.db import unit_of_work
    from service.demo.seed import demo_today, seed_demo, seeded_on

    settings = get_settings()
    day = _date(anchor, "--anchor") or demo_today()
    with unit_of_work(settings.database_url) as session:
        if if_empty and (since := seeded_on(session)) is not None:
            console.print(f"demo data already present (seeded {since}); nothing seeded")
            if since < day:
                console.print("its visits, plan instalments and deadlines lie around that day: "
                              "`make clean-db` then `make run` seeds it again around today")
            return
        result = seed_demo(session, anchor=day, cases=cases, seed=seed, settings=settings, court_sets=court_sets)
    console.print(f"seeded {result.cases} cases around {day}")
    _print_credentials(result.keys, result.logins)


@demo_app.command("credentials")
def demo_credentials(role: Annotated[str | None, typer.Option(
        help="print only this role's API key (admin | legal_staff | collector | law_firm), for scripts")] = None,
        ) -> None:
    """Print the demo API keys and logins again (random, made when the demo was seeded; the demo
    alone keeps them readable in its database)."""
    from service.core.db import unit_of_work
    from service.demo.seed import demo_credentials as stored
    from service.demo.seed import stored_credentials

    with unit_of_work(get_settings().database_url, write=False) as session:
        keys, logins = stored(session)
        by_role = stored_credentials(session, "api_key")
    if not keys:
        _fail("no demo credentials in this database: seed the demo first (`dossier demo seed`)")
    if role is not None:
        if role not in by_role:
            _fail(f"--role {role!r}: the demo has keys for {', '.join(sorted(by_role))}")
        print(by_role[role])
        return
    _print_credentials(keys, logins)


def _print_credentials(keys: dict[str, str], logins: dict[str, str]) -> None:
    table = Table(title="demo API keys")
    table.add_column("role")
    table.add_column("key")
    for role, key in keys.items():
        table.add_row(role, key)
    console.print(table)
    logins_table = Table(title="demo logins")
    logins_table.add_column("user")
    logins_table.add_column("password")
    for user, password in logins.items():
        logins_table.add_row(user, password)
    console.print(logins_table)


@app.command()
def serve(host: str = "127.0.0.1", port: int = 8000,
          workers: Annotated[int, typer.Option(min=1, max=64, help="server processes (more than one needs a "
                                               "shared rate-limit store: DOSSIER_RATE_LIMIT_STORAGE)")] = 1) -> None:
    """Serve the API (and UI) with uvicorn."""
    import uvicorn

    settings = get_settings()
    if workers > 1 and "memory://" in settings.rate_limit_storage:
        # each process would count its own requests: N processes, N times the limits and lock-out
        raise typer.BadParameter("more than one worker process needs a shared rate-limit store: set "
                                 "DOSSIER_RATE_LIMIT_STORAGE (e.g. async+redis://127.0.0.1:6379/0)",
                                 param_hint="--workers")
    console.print(f"Dossier on http://{host}:{port}  (API docs: http://{host}:{port}/docs)")
    if workers == 1:
        from service.app import create_app

        # Single-notice requests render on a warm pool: started beside the server, not on a request.
        uvicorn.run(create_app(settings, warm_render_pool=True), host=host, port=port, log_level="info",
                    server_header=False)
        return
    # Each process has its own render pool: the cores are shared out, not multiplied.
    os.environ.setdefault("DOSSIER_LOCAL_WORKERS", str(max(1, settings.local_workers // workers)))
    uvicorn.run("service.app:served_app", factory=True, workers=workers, host=host, port=port, log_level="info",
                server_header=False, timeout_worker_healthcheck=settings.worker_healthcheck_seconds)


@app.command()
def worker(concurrency: int = 2, loglevel: str = "info") -> None:
    """Run a Celery worker for jobs (set DOSSIER_EXECUTOR=celery on the API side)."""
    from service.jobs.celery_app import worker_app
    from service.jobs.executor import Sweeper

    settings = get_settings()

    def send(job_id: str) -> None:
        worker_app().send_task("dossier.run_job", args=[job_id])

    # Jobs whose worker died are sent again, at start and every heartbeat interval while this runs.
    Sweeper(settings, send, resend_queued_at_start=False).start()
    # A node name of its own (pid@host): Celery's default, celery@host, is shared by every worker on
    # the host, and on RabbitMQ the second one cannot declare its exclusive control (pidbox) queue
    # (405 RESOURCE_LOCKED) and never takes a job.
    worker_app().worker_main(["worker", f"--concurrency={concurrency}", f"--loglevel={loglevel}", "-Q",
                               settings.celery_queue, "-n", f"dossier-{os.getpid()}@%h"])


CLAIM_AS_OF_HELP = (
    "the date to compute the claim at (YYYY-MM-DD). Default: today in the borrower's time zone, the "
    "date a document generated now (`dossier doc`, the API) carries, so the claim matches the "
    "documents generated the same day. For samples made with `make samples` or a demo seeded with "
    "--anchor DATE, pass that DATE here.")


@app.command()
def claim(case_ref: str,
          as_of: Annotated[str | None, typer.Option("--as-of", help=CLAIM_AS_OF_HELP)] = None,
          lang: Annotated[str | None, typer.Option(
              "--lang", help="zh or en: the language of the labels; default Chinese for a CN case, "
                             "English for a US case (amounts are in the contract's currency)")] = None,
          as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Print the claim computation and the court fee of a case."""
    from service.cases import service as case_service
    from service.cases.claim_view import claim_view
    from service.cli_views import LANGS, print_claim
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError

    if lang is not None and lang not in LANGS:
        _fail(f"--lang {lang!r} is not one of {', '.join(LANGS)}")
    settings = get_settings()
    try:
        with unit_of_work(settings.database_url) as session:
            cf, result = case_service.claim(session, case_ref, _date(as_of), licensed_cap=settings.licensed_cost_cap)
            view = claim_view(cf, result)
    except ServiceError as exc:
        _fail(exc.detail)
    if as_json:
        print(json.dumps(view, default=str, ensure_ascii=False, indent=2))
        return
    print_claim(console, view, lang)


def _date(value: str | None, option: str = "--as-of") -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"{option} {value!r} is not a date (YYYY-MM-DD)")
    return None


CARRIER_OPTION = typer.Option("--carrier", help="the letter's carrier: ems (a CN case's) | usps (a US case's); "
                                                "default the case's jurisdiction's")
TRACKING_OPTION = typer.Option("--tracking", help="the letter's tracking number: EMS 邮件号 (EA123456785CN) or USPS "
                                                  "tracking number (22 or 20 digits); where not recorded yet")


@mark_app.command("delivered")
def mark_delivered(case_ref: str, communication_id: int,
                   at: Annotated[str | None, typer.Option(
                       "--at", help="when the delivery proof says it reached the borrower: an ISO date and time "
                                    "with its offset (2026-11-22T14:30:00+08:00); default now")] = None,
                   carrier: Annotated[str | None, CARRIER_OPTION] = None,
                   tracking: Annotated[str | None, TRACKING_OPTION] = None) -> None:
    """Mark a communication recorded as sent (a generated notice) delivered, audited; a letter with
    the carrier and tracking number it was mailed under."""
    from service.cases import activity
    from service.cases import service as case_service
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError
    from service.core.security import Principal

    delivered_at = _moment(at, "--at")
    settings = get_settings()
    try:
        with unit_of_work(settings.database_url) as session:
            case = case_service.visible_case(session, Principal("cli", "admin"), case_ref)
            comm = activity.record_delivery(session, case, communication_id, actor="cli", at=delivered_at,
                                            carrier=carrier, tracking_no=tracking)
            when, posted = comm.delivered_at, _posted(comm)
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(f"{case_ref} communication {communication_id}: delivered at {when.isoformat() if when else ''}"
                  f"{posted}")


def _posted(comm: Any) -> str:
    """How a letter's mailing reads after what became of it: "" for none recorded."""
    return f", mailed by {comm.carrier} under {comm.tracking_no}" if comm.tracking_no else ""


@mark_app.command("mailed")
def mark_mailed(case_ref: str, communication_id: int,
                tracking: Annotated[str, typer.Option(
                    "--tracking", help="the tracking number: EMS 邮件号 (EA123456785CN) or USPS tracking number "
                                       "(22 or 20 digits)")],
                carrier: Annotated[str | None, CARRIER_OPTION] = None) -> None:
    """Record the carrier and tracking number an outbound letter was mailed under, audited: when it is
    posted, or after the fact for one recorded without them (DOC-11)."""
    from service.cases import mailing
    from service.cases import service as case_service
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError
    from service.core.security import Principal

    settings = get_settings()
    try:
        with unit_of_work(settings.database_url) as session:
            case = case_service.visible_case(session, Principal("cli", "admin"), case_ref)
            posted = _posted(mailing.record_mailing(session, case, communication_id, actor="cli", carrier=carrier,
                                                    tracking_no=tracking))
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(f"{case_ref} communication {communication_id}:{posted.removeprefix(',')}")


@mark_app.command("failed")
def mark_failed(case_ref: str, communication_id: int,
                reason: Annotated[str, typer.Option(
                    "--reason", help="why it came back undelivered (退回): refused | unknown_addressee | moved | "
                                     "unclaimed | other")],
                note: Annotated[str, typer.Option(
                    "--note", help="the return slip's words; required with --reason other")] = "",
                at: Annotated[str | None, typer.Option(
                    "--at", help="when the return slip says it came back: an ISO date and time with its offset "
                                 "(2026-11-25T09:10:00+08:00); default now")] = None,
                carrier: Annotated[str | None, CARRIER_OPTION] = None,
                tracking: Annotated[str | None, TRACKING_OPTION] = None) -> None:
    """Mark a communication recorded as sent (a generated notice) returned undelivered, audited; a
    letter with the carrier and tracking number it was mailed under."""
    from service.cases import activity
    from service.cases import service as case_service
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError
    from service.core.security import Principal

    failed_at = _moment(at, "--at")
    settings = get_settings()
    try:
        with unit_of_work(settings.database_url) as session:
            case = case_service.visible_case(session, Principal("cli", "admin"), case_ref)
            comm = activity.record_failure(session, case, communication_id, actor="cli", at=failed_at,
                                           reason=reason, note=note, carrier=carrier, tracking_no=tracking)
            when, why, posted = comm.failed_at, comm.failure_reason, _posted(comm)
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(f"{case_ref} communication {communication_id}: returned undelivered ({why}) at "
                  f"{when.isoformat() if when else ''}{posted}")


@app.command("court-designation")
def court_designation(case_ref: str,
                      designation: Annotated[str, typer.Argument(
                          help="as the case's court takes it: \"Precinct 1, Place 2\" (a Texas Justice Court), "
                               "\"189th Judicial District\" (a Texas District Court)")] = "",
                      clear: Annotated[bool, typer.Option("--clear", help="remove the recorded designation")] = False,
                      ) -> None:
    """Record the court designation chosen for filing, which the captions print (US-28), audited."""
    from service.cases import designation as court_designations
    from service.cases import service as case_service
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError
    from service.core.security import Principal

    if bool(designation.strip()) == clear:
        _fail("give the designation (court_designation), or --clear to remove it")
    settings = get_settings()
    try:
        with unit_of_work(settings.database_url) as session:
            case = case_service.visible_case(session, Principal("cli", "admin"), case_ref)
            found = court_designations.record(session, case, designation, actor="cli",
                                              licensed_cap=settings.licensed_cost_cap)
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(f"{case_ref}: {found.court}, {found.designation}" if found.designation else
                  f"{case_ref}: no court designation recorded")


def _moment(value: str | None, option: str) -> datetime | None:
    """An aware moment given on the command line; a naive one names the option (no zone is guessed)."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        _fail(f"{option} {value!r} is not a date and time (YYYY-MM-DDTHH:MM:SS+HH:MM)")
        raise
    if moment.tzinfo is None:
        _fail(f"{option} {value!r} must carry a time-zone offset (e.g. +08:00)")
    return moment


@audit_app.command("verify")
def audit_verify(checkpoint: Annotated[str | None, typer.Option(
        help="a checkpoint from `dossier audit checkpoint` (its file, or the JSON itself): prove that "
             "nothing up to it was rewritten since")] = None) -> None:
    """Check the audit trail's keyed hash chain and head; exit 1 naming the first broken row."""
    from service.audit import service as audit
    from service.core.db import unit_of_work

    point = _checkpoint(checkpoint) if checkpoint else None
    with unit_of_work(get_settings().database_url, write=False) as session:
        count, problem = audit.verify(session)
        if problem is None and point is not None:
            problem = audit.verify_checkpoint(session, point)
    if problem is None:
        since = f"; unchanged up to checkpoint {point['seq']} of {point['at']}" if point else ""
        console.print(f"audit trail intact: {count} events{since}")
        return
    err.print(f"[red]audit trail broken[/red] at seq {problem.seq} ({problem.kind}): {problem.message}")
    raise typer.Exit(1)


def _checkpoint(given: str) -> dict[str, Any]:
    text = given if given.lstrip().startswith("{") else None
    if text is None:
        path = Path(given)
        if not path.is_file():
            _fail(f"--checkpoint {given!r} is neither a file nor a checkpoint's JSON")
        text = path.read_text()
    try:
        point = json.loads(text)
    except ValueError:
        point = None
    if not isinstance(point, dict):
        _fail("--checkpoint is not a checkpoint (JSON with seq, hash, at and sig)")
    checkpoint: dict[str, Any] = point
    return checkpoint


@audit_app.command("checkpoint")
def audit_checkpoint() -> None:
    """Print the trail's head (sequence, hash, time), signed with the audit key, as one JSON line.
    Keep it outside the database; `audit verify --checkpoint` proves nothing up to it changed."""
    from service.audit import service as audit
    from service.core.db import unit_of_work

    with unit_of_work(get_settings().database_url, write=False) as session:
        _, problem = audit.verify(session)
        if problem is not None:
            _fail(f"not checkpointed: the trail is broken at seq {problem.seq} ({problem.kind}): {problem.message}")
        point = audit.checkpoint(session)
    print(json.dumps(point, sort_keys=True))


@apikey_app.command("create")
def apikey_create(role: Annotated[str, typer.Option(help="admin | legal_staff | collector | law_firm")],
                  firm: Annotated[str | None, typer.Option(help="law firm code (law_firm role)")] = None,
                  label: str = "") -> None:
    """Create an API key; it is printed once and stored only as a hash."""
    from service.access.service import create_api_key
    from service.cases import service as case_service
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError

    try:
        with unit_of_work(get_settings().database_url) as session:
            firm_id = case_service.firm_id(session, firm) if role == "law_firm" else None
            key = create_api_key(session, role=role, law_firm_id=firm_id, label=label)
    except ServiceError as exc:
        _fail(exc.detail)
    print(key)


@user_app.command("create")
def user_create(username: str, role: Annotated[str, typer.Option(help="admin | legal_staff | collector | law_firm")],
                firm: Annotated[str | None, typer.Option(help="law firm code (law_firm role)")] = None,
                name: Annotated[str, typer.Option(help="display name")] = "",
                password: Annotated[str | None, typer.Option(
                    help="read from DOSSIER_NEW_PASSWORD or asked for when not given")] = None) -> None:
    """Create a web user who signs in with a password (stored as an argon2id hash)."""
    import os

    from service.access import users
    from service.cases import service as case_service
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError

    secret = password or os.environ.get("DOSSIER_NEW_PASSWORD") or typer.prompt(
        "password", hide_input=True, confirmation_prompt=True)
    try:
        with unit_of_work(get_settings().database_url) as session:
            firm_id = case_service.firm_id(session, firm) if role == "law_firm" else None
            users.create_user(session, username=username, password=secret, role=role, law_firm_id=firm_id,
                              display_name=name, actor="cli")
    except ServiceError as exc:
        _fail(exc.detail)
    print(f"user {username} created ({role})")


@lawfirm_app.command("create")
def lawfirm_create(code: Annotated[str, typer.Argument(help="short code, A-Z and 0-9: how cases, keys and users name "
                                                            "the firm")],
                   name: Annotated[str, typer.Option(help="the firm's name")],
                   profile: Annotated[str, typer.Option(help="where it practises: CN (six-digit postal code) or US "
                                                             "(ZIP code)")] = "CN",
                   postal_code: Annotated[str, typer.Option(help="of the address (the service-address "
                                                                 "confirmation states it)")] = "",
                   address: str = "", name_en: str = "", licence_no: str = "", phone: str = "", lead_lawyer: str = "",
                   lead_lawyer_licence: str = "", lead_lawyer_phone: str = "", lead_lawyer_email: str = "",
                   bar: Annotated[list[str] | None, typer.Option(help="STATE=NUMBER: the lead lawyer's bar number in "
                                                                      "a US state (repeat for each)")] = None) -> None:
    """Record a partner law firm (audited); exit 1 naming each option that is wrong."""
    from pydantic import ValidationError

    from service.cases import firms
    from service.cases.schemas import LawFirmIn
    from service.core.db import unit_of_work
    from service.core.errors import InvalidInput, ServiceError

    fields = {"code": code, "name": name, "profile": profile, "postal_code": postal_code, "address": address,
              "name_en": name_en, "licence_no": licence_no, "phone": phone, "lead_lawyer": lead_lawyer,
              "lead_lawyer_licence": lead_lawyer_licence, "lead_lawyer_phone": lead_lawyer_phone,
              "lead_lawyer_email": lead_lawyer_email, "lead_lawyer_bars": _bars(bar or [])}
    try:
        data = LawFirmIn.model_validate(fields)
        with unit_of_work(get_settings().database_url) as session:
            firm = firms.create_firm(session, data, actor="cli")
            made = (f"law firm {firm.code} recorded (id {firm.id}, {firm.profile}, "
                    f"postal code {firm.postal_code or '-'})")
    except ValidationError as exc:
        _fail("; ".join(f"{_option(str(e['loc'][0]) if e['loc'] else 'code')}: {e['msg']}" for e in exc.errors()))
    except InvalidInput as exc:
        _fail("; ".join(f"{_option(e.field)}: {e.message}" for e in exc.errors))
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(made, highlight=False)


def _option(field: str) -> str:
    """The option a field of LawFirmIn comes from (the code is the argument)."""
    return {"code": "CODE", "lead_lawyer_bars": "--bar"}.get(field, "--" + field.replace("_", "-"))


def _bars(given: list[str]) -> dict[str, str]:
    bars: dict[str, str] = {}
    for item in given:
        state, sep, number = item.partition("=")
        if not sep or not state.strip() or not number.strip():
            _fail(f"--bar {item!r} is not STATE=NUMBER (e.g. IL=6301234)")
        bars[state.strip().upper()] = number.strip()
    return bars


def _print_lender(lender: Any) -> None:
    from service.cases.schemas import LenderOut

    out = LenderOut.model_validate(lender)
    console.print(f"{out.code} {out.name} ({out.profile}, {out.licence_type})"
                  + (f", licence no. {out.licence_no}" if out.licence_no else "")
                  + (f", NMLS ID {out.nmls_id}" if out.nmls_id else ""), highlight=False)
    console.print(f"repayment: app {out.app_name or '(none)'}; account {out.repayment_account or '(none)'}; "
                  f"website {out.website or '(none)'}; hotline {out.hotline}", highlight=False)
    table = Table(title=f"state licences ({len(out.licences)})")
    for column in ("state", "kind", "number", "issued"):
        table.add_column(column)
    for x in out.licences:
        table.add_row(x.state, x.kind, x.number, x.issued_on.isoformat() if x.issued_on else "-")
    console.print(table)


@lender_app.command("show")
def lender_show(code: Annotated[str, typer.Argument(help="the lender's code")],
                as_json: Annotated[bool, typer.Option("--json", help="one JSON object, every field")] = False) -> None:
    """The lender's profile: its NMLS ID, the licences it holds state by state, and its repayment
    channels (app, account, website, hotline)."""
    from service.cases import lenders
    from service.cases.schemas import LenderOut
    from service.core.db import unit_of_work
    from service.core.errors import ServiceError

    try:
        with unit_of_work(get_settings().database_url, write=False) as session:
            lender = lenders.get_lender(session, code)
            if as_json:
                print(json.dumps(LenderOut.model_validate(lender).model_dump(mode="json"), ensure_ascii=False,
                                 indent=2))
                return
            _print_lender(lender)
    except ServiceError as exc:
        _fail(exc.detail)


@lender_app.command("licences")
def lender_licences(code: Annotated[str, typer.Argument(help="the lender's code")],
                    licence: Annotated[list[str] | None, typer.Option(
                        help="STATE:KIND=NUMBER[@YYYY-MM-DD]: a licence the lender holds (repeat for each; the "
                             "licences given replace those recorded), e.g. CA:cfl=60DBO-112233@2019-03-14")] = None,
                    nmls_id: Annotated[str | None, typer.Option(help="the company's NMLS ID (digits)")] = None,
                    clear: Annotated[bool, typer.Option("--clear", help="remove every state licence")] = False
                    ) -> None:
    """Correct a lender's NMLS ID and state licences (audited); exit 1 naming what is wrong."""
    if clear and licence:
        _fail("--clear and --licence together: give the licences to keep, or --clear alone")
    given: dict[str, Any] = {} if nmls_id is None else {"nmls_id": nmls_id}
    if licence or clear:
        given["licences"] = [_licence(item) for item in licence or []]
    if not given:
        _fail("nothing to correct: give --licence, --nmls-id or --clear")
    _patch_lender(code, given)


@lender_app.command("app")
def lender_app_name(code: Annotated[str, typer.Argument(help="the lender's code")],
                    name: Annotated[str | None, typer.Argument(help="the app's name as borrowers find it, e.g. "
                                                                    "随心贷App")] = None,
                    none: Annotated[bool, typer.Option("--none", help="the lender has no app")] = False) -> None:
    """Record the app borrowers repay in (audited): notices name it; with --none, no notice names an app."""
    if (name is None) == (not none) or (name is not None and not name.strip()):
        _fail("give the app's name, or --none for a lender without an app")
    _patch_lender(code, {"app_name": name})


def _patch_lender(code: str, given: dict[str, Any]) -> None:
    """Apply a lender patch (licences, NMLS ID, app) as the API does, and print the lender; a bad
    value fails naming its field."""
    from pydantic import ValidationError

    from service.cases import lenders
    from service.cases.schemas import LenderLicencesPatch
    from service.core.db import unit_of_work
    from service.core.errors import InvalidInput, ServiceError

    try:
        data = LenderLicencesPatch.model_validate(given)
        with unit_of_work(get_settings().database_url) as session:
            _print_lender(lenders.update_licences(session, code, data, actor="cli"))
    except ValidationError as exc:
        _fail("; ".join(f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()))
    except InvalidInput as exc:
        _fail("; ".join(f"{e.field}: {e.message}" for e in exc.errors))
    except ServiceError as exc:
        _fail(exc.detail)


def _licence(item: str) -> dict[str, str]:
    where, sep, rest = item.partition("=")
    state, colon, kind = where.partition(":")
    number, at, issued = rest.partition("@")
    if not sep or not colon or not state.strip() or not kind.strip() or not number.strip() or (at and not issued):
        _fail(f"--licence {item!r} is not STATE:KIND=NUMBER[@YYYY-MM-DD] (e.g. CA:cfl=60DBO-112233@2019-03-14)")
    return {"state": state.strip().upper(), "kind": kind.strip(), "number": number.strip(),
            **({"issued_on": issued.strip()} if issued else {})}


@lawfirm_app.command("list")
def lawfirm_list(as_json: Annotated[bool, typer.Option("--json", help="one JSON array, every field")] = False) -> None:
    """Every partner law firm, in the order recorded."""
    from service.cases import firms
    from service.cases.schemas import LawFirmOut
    from service.core.db import unit_of_work
    from service.core.pagination import LIMIT_MAX

    rows: list[LawFirmOut] = []
    cursor: str | None = None
    with unit_of_work(get_settings().database_url, write=False) as session:
        while True:
            page, cursor = firms.list_firms(session, cursor=cursor, limit=LIMIT_MAX)
            rows += [LawFirmOut.model_validate(f) for f in page]
            if cursor is None:
                break
    if as_json:
        print(json.dumps([r.model_dump() for r in rows], ensure_ascii=False, indent=2))
        return
    table = Table(title=f"law firms ({len(rows)})")
    for column in ("id", "code", "name", "profile", "postal code", "address", "lead lawyer"):
        table.add_column(column)
    for r in rows:
        table.add_row(str(r.id), r.code, r.name, r.profile,
                      *(value or "-" for value in (r.postal_code, r.address, r.lead_lawyer)))
    console.print(table)


@store_app.command("gc")
def store_gc(dry_run: Annotated[bool, typer.Option("--dry-run", help="list, do not delete")] = False,
             grace_minutes: Annotated[int, typer.Option(help="leave objects younger than this")] = 60) -> None:
    """Remove stored objects no document, evidence item or packet refers to."""
    from datetime import timedelta

    from service.core.db import unit_of_work
    from service.storage_gc import collect

    settings = get_settings()
    with unit_of_work(settings.database_url) as session:
        result = collect(session, settings, grace=timedelta(minutes=grace_minutes), dry_run=dry_run)
    verb = "would remove" if dry_run else "removed"
    for sha in result.removed:
        console.print(f"{verb} {sha}")
    console.print(f"{verb} {len(result.removed)} unreferenced object(s); {result.kept} referenced")


@fonts_app.command("build")
def fonts_build(force: bool = False) -> None:
    """Build the compact CJK document fonts from the system Noto faces (done once at set-up)."""
    from service.documents.fonts import build_fonts

    for path in build_fonts(get_settings().templates_dir, force=force):
        console.print(f"font ready: {path}")


@app.command()
def render(case_ref: str, kind: str,
           fmt: Annotated[str, typer.Option("--format", help="pdf | docx | sms")] = "pdf",
           locale: Annotated[str | None, typer.Option(help="zh-CN | en-US; default: the borrower's")] = None,
           as_of: Annotated[str | None, typer.Option("--as-of")] = None,
           out: Annotated[Path, typer.Option("-o", "--output", help="file to write")] = Path("document.out"),
           draft: Annotated[bool, typer.Option(
               "--draft", help="a PDF with DRAFT on every page, for review: nothing is recorded or sent")] = False,
           override_reason: Annotated[str | None, typer.Option(
               "--override-reason", help="why a notice is sent again although the borrower has it for this as-of "
                                         "date (DOC-03), or a lawyer letter restates a delivered one (DOC-09): "
                                         "recorded on the document and in the audit trail")] = None,
           ) -> None:
    """Generate, record and write one document of a case (with --draft: preview it, recording nothing)."""
    from service.core.db import unit_of_work
    from service.core.errors import RuleViolation, ServiceError
    from service.core.storage import get_store
    from service.documents import service as documents_service
    from service.documents.schemas import OVERRIDE_MAX, OVERRIDE_MIN
    from service.packets.build import planner_for

    settings = get_settings()
    said = "en-US"  # the case's language for rule messages, once the case is read
    if draft and fmt != "pdf":
        _fail(f"--draft makes a PDF, not {fmt}: a DRAFT is for reading")
    if draft and override_reason is not None:
        _fail("--override-reason is for a document generated and recorded, not a --draft")
    if override_reason is not None and not OVERRIDE_MIN <= len(override_reason.strip()) <= OVERRIDE_MAX:
        _fail(f"--override-reason (override_reason) must be {OVERRIDE_MIN} to {OVERRIDE_MAX} characters: "
              "say why the document is sent again")
    reason = override_reason.strip() if override_reason is not None else None
    try:
        with unit_of_work(settings.database_url, write=not draft) as session:
            said = _case_locale(session, case_ref)
            planner = planner_for(settings)(session)
            if draft:
                shown = documents_service.preview_case(session, case_ref=case_ref, kind=kind, locale=locale,
                                                       as_of=_date(as_of), planner=planner)
                documents_service.write_file(out, shown.data)
                summary = f"{out}: DRAFT {shown.kind} {shown.locale} as of {shown.as_of}, nothing recorded"
                warned, prefix = shown.warnings, "would be refused if generated now"
            else:
                doc, warned = documents_service.render_to_file(
                    session, case_ref=case_ref, kind=kind, fmt=fmt, locale=locale, as_of=_date(as_of), out=out,
                    actor="cli", store=get_store(settings), planner=planner, override_reason=reason)
                summary = f"{out}: {doc.kind} {doc.locale} {doc.format}, sha256 {doc.sha256}"
                if doc.override_reason:
                    summary += f"\nsent again on the reason: {doc.override_reason}"
                prefix = "warning"
            summary += "".join(f"\n{prefix}: {w}" for w in _worded(warned, said))
    except RuleViolation as exc:
        _fail("refused: " + "; ".join(_worded(exc.violations, said)))
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(summary)


@app.command()
def packet(case_ref: str, as_of: Annotated[str | None, typer.Option("--as-of")] = None,
           out: Annotated[Path, typer.Option("-o", "--output", help="bundle to write (.zip)")] = Path("packet.zip"),
           draft: Annotated[bool, typer.Option(help="build even with exhibits missing; DRAFT on every page")] = False,
           sign: Annotated[bool, typer.Option(help="PAdES-sign packet.pdf")] = False) -> None:
    """Build a litigation packet synchronously into a ZIP bundle."""
    from rich.progress import Progress

    from service.core.db import unit_of_work
    from service.core.errors import RuleViolation, ServiceError
    from service.packets.service import build_and_record

    settings = get_settings()
    said = "en-US"
    try:
        with unit_of_work(settings.database_url) as session, Progress(console=console) as bar:
            said = _case_locale(session, case_ref)
            task = bar.add_task(f"packet {case_ref}", total=None)
            built, summary = build_and_record(
                session, settings, case_ref, out, as_of=_date(as_of), draft=draft, sign=sign, actor="cli",
                progress=lambda done, total: bar.update(task, completed=done, total=total))
    except RuleViolation as exc:
        _fail("refused: " + "; ".join(_worded(exc.violations, said)))
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(f"{out}: {summary['pages']} pages, Bates {summary['bates_first']}–{summary['bates_last']}, "
                  f"sha256 {summary['bundle_sha256']}"
                  + "".join(f"\nwarning: {w}" for w in _worded(built.plan.warnings, said)))


@app.command("visit-kit")
def visit_kit(case_ref: str, as_of: Annotated[str | None, typer.Option("--as-of")] = None,
              out: Annotated[Path, typer.Option("-o", "--output", help="PDF to write")] = Path("visit-kit.pdf"),
              ) -> None:
    """Build the visit kit of a case whose visit is notified: one PDF for the staff going."""
    from rich.progress import Progress

    from service.core.db import unit_of_work
    from service.core.errors import RuleViolation, ServiceError
    from service.visits.service import build_and_record

    settings = get_settings()
    said = "en-US"
    try:
        with unit_of_work(settings.database_url) as session, Progress(console=console) as bar:
            said = _case_locale(session, case_ref)
            task = bar.add_task(f"visit kit {case_ref}", total=None)
            kit, summary = build_and_record(
                session, settings, case_ref, as_of=_date(as_of), actor="cli",
                progress=lambda done, total: bar.update(task, completed=done, total=total))
    except RuleViolation as exc:
        _fail("refused: " + "; ".join(_worded(exc.violations, said, ": ")))
    except ServiceError as exc:
        _fail(exc.detail)
    out.write_bytes(kit.pdf)
    missing = f"; missing: {', '.join(kit.missing)}" if kit.missing else ""
    console.print(f"{out}: {summary['pages']} pages, {len(kit.proposals)} plan proposals, "
                  f"sha256 {summary['pdf_sha256']}{missing}")


@evidence_app.command("add")
def evidence_add(case_ref: str, file: Path,
                 title: Annotated[str, typer.Option(help="the exhibit's name")],
                 category: Annotated[str, typer.Option(help="what it proves: loan_contract, signed_agreement, ...")],
                 form: Annotated[str, typer.Option(help="documentary | electronic | audiovisual | witness")],
                 source: Annotated[str, typer.Option(help="where it comes from")],
                 purpose: Annotated[str, typer.Option(help="the purpose of proof")],
                 original_available: Annotated[bool, typer.Option(help="the original can be produced")] = False,
                 redaction_of: Annotated[int | None, typer.Option(
                     min=1, max=2**31 - 1,
                     help="the upload (evidence id) this file is a redacted copy of (Tex. R. Civ. P. 21c)")] = None,
                 visit_id: Annotated[int | None, typer.Option(
                     min=1, max=2**31 - 1, help="signed_visit_record: the visit it records")] = None) -> None:
    """Upload one evidence file to a case, through the API's checks (type, size, metadata)."""
    from service.cases.repository import case_by_ref
    from service.core.db import unit_of_work
    from service.core.errors import CaseNotFound, InvalidInput, ServiceError
    from service.packets import evidence_service

    settings = get_settings()
    if not file.is_file():
        _fail(f"{file} is not a file")
    try:
        with unit_of_work(settings.database_url) as session, file.open("rb") as stream:
            if (case := case_by_ref(session, case_ref)) is None:
                raise CaseNotFound(case_ref)
            item = evidence_service.receive(
                session, settings, case, stream=stream, filename=file.name, title=title,
                category=category, form=form, source=source, original_available=original_available,
                purpose=purpose, actor="cli", redaction_of=redaction_of, visit_id=visit_id)
            summary = f"evidence {item.id}: {item.category} {item.media_type}, sha256 {item.sha256}"
    except InvalidInput as exc:  # each field by its option (the file is the argument)
        _fail("; ".join(f"{'FILE' if e.field == 'file' else _option(e.field)}: {e.message}" for e in exc.errors))
    except ServiceError as exc:
        _fail(exc.detail)
    console.print(summary, highlight=False)


@evidence_app.command("verify")
def evidence_verify(bundle: Path, trust_root: Annotated[Path | None, typer.Option(
        help="certificate to trust for the packet signature")] = None,
        sha256: Annotated[str | None, typer.Option(help="the bundle hash recorded when it was built")] = None
        ) -> None:
    """Re-check a packet bundle; exit 1 naming every altered, missing or extra file."""
    import logging

    from evidence.verify import check_bundle

    if not bundle.is_file():
        _fail(f"{bundle} is not a file")
    # pyHanko logs a traceback for a certificate it cannot chain; the verdict below says it in words.
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("pyhanko_certvalidator").setLevel(logging.CRITICAL)
    report = check_bundle(bundle, trust_root=trust_root, expected_sha256=sha256)
    problems = report.problems
    if not problems:
        console.print(f"{bundle}: {_verdict(report.signature)}", highlight=False, soft_wrap=True)
        return
    for problem in problems:
        err.print(f"[red]{problem.code}[/red] {problem.path or '(bundle)'}: {problem.detail}")
    err.print(f"{bundle}: {len(problems)} problem(s)")
    raise typer.Exit(1)


def _verdict(signature: Any) -> str:
    """One line: integrity, then the packet signature and whether its signer is trusted."""
    if signature is None or not signature.signed:
        return "intact; the packet is not signed"
    if signature.trusted:
        return f"intact; packet signature valid, signer trusted ({signature.signer})"
    what = "development certificate" if "development" in (signature.signer or "") else "certificate not checked"
    return (f"intact; packet signature valid, signer not trusted ({what}: {signature.signer}); "
            "pass --trust-root CERT.pem to check the signer")


def main() -> Any:  # pragma: no cover - console entry
    return app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())

