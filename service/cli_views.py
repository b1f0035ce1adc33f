"""Rich renderings for the CLI."""

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

# Before acceleration nothing beyond what is overdue is claimable: the whole balance is what would
# fall due on acceleration, never "claimed" (labels in English and Chinese, as the CLI prints both).
PRE_ACCELERATION = {
    "title": "not accelerated: amounts if accelerated on {as_of} / 尚未宣布提前到期：以下为假定于{as_of}提前到期的金额",
    "due_now": "due now (overdue) / 现已到期（逾期）",
    "on_acceleration": "falls due on acceleration / 提前到期时另行到期",
    "total": "total on acceleration / 提前到期后合计",
    "total_fee": "total on acceleration (标的额 if filed) / 提前到期后合计（起诉时的标的额）",
}


def print_claim(console: Console, view: dict[str, Any]) -> None:
    cur, pre = view["currency"], not view["accelerated"]
    title = f"Claim of {view['case_ref']} as of {view['as_of']}"
    if pre:
        title += " — " + PRE_ACCELERATION["title"].format(as_of=view["as_of"])
    table = Table(title=title, show_header=True)
    table.add_column("component")
    table.add_column(f"amount ({cur})", justify="right")
    for key in ("principal", "interest", "penalty", "compound", "fees"):
        table.add_row(key, f"{view[key]:,}")
    fee_table = view["court_fee"] is not None
    if pre:
        table.add_row(PRE_ACCELERATION["total_fee" if fee_table else "total"], f"{view['claimed_total']:,}")
        table.add_row(f"[bold]{PRE_ACCELERATION['due_now']}[/bold]", f"[bold]{view['due_now']:,}[/bold]")
        table.add_row(PRE_ACCELERATION["on_acceleration"], f"{view['on_acceleration']:,}")
    else:
        # 标的额: the amount the court fee is computed on, where a fee table applies
        total = "claimed total (标的额)" if fee_table else "claimed total"
        table.add_row(f"[bold]{total}[/bold]", f"[bold]{view['claimed_total']:,}[/bold]")
    console.print(table)
    for note in view["notes"]:
        console.print(f"note: {note}")
    print_reconciliation(console, view)
    cap = view["cap"]
    if cap["binding"]:
        console.print(f"cap applied: {cap['rule']} at {cap['annual_rate'] * 100:.4f} % a year — {cap['basis']}")
        console.print(f"  contract cost {cap['contract_cost']:,}, allowed {cap['allowed_cost']:,}, "
                      f"already paid {cap['cost_paid']:,}, reduced by {cap['reduced_by']:,}")
    else:
        console.print(f"no rate cap ({cap['rule']}): {cap['basis']}")
    for note in cap["notes"]:
        console.print(f"  {note}")
    if view["rate_ceiling"] is not None:
        print_rate_ceiling(console, view["rate_ceiling"], cur)
    ci = view["continuing_interest"]
    console.print(f"continuing interest: {ci['text_zh']}" if ci["text_zh"] else
                  f"continuing interest: from {ci['from_date']} on {ci['base']:,} at "
                  f"{ci['annual_rate'] * 100:.4g} % a year until paid")
    fee = view["court_fee"]
    if fee is not None:
        console.print(f"court fee on {fee['amount']:,}: {fee['full']:,} (halved {fee['halved']:,}); "
                      f"preservation fee {fee['preservation']:,}")
    ledger = view["ledger"]
    if view["agreement"] is not None:  # the contract ledger stops at the acknowledgement
        agreement = view["agreement"]
        ack = agreement["acknowledged"]
        console.print(f"acknowledged in {agreement['agreement_no']} as of {agreement['acknowledged_on']}: principal "
                      f"{ack['principal']:,} (of which not yet due under the contract "
                      f"{agreement['principal_not_due']:,}), interest {ack['interest']:,}, penalty {ack['penalty']:,}, "
                      f"fees {ack['fee']:,}")
        console.print(f"paid on the contract before the agreement: {ledger['paid_total']:,}; "
                      f"paid under the agreement: {agreement['paid_total']:,}")
    else:
        console.print(f"ledger: paid to date {ledger['paid_total']:,}; days past due {ledger['days_past_due']}")


def print_rate_ceiling(console: Console, ceiling: dict[str, Any], cur: str) -> None:
    """US-20: the state's ceiling for the lender and the loan, and each rate of the case against it."""
    rates = ", ".join(f"{r['which']} {_pct(r['annual_rate'])}" for r in ceiling["rates"])
    if "refused" in ceiling:
        console.print(f"rate ceiling ({ceiling['rule']}): {'; '.join(ceiling['refused'])}")
        return
    if ceiling["annual_rate"] is None:
        console.print(f"rate ceiling ({ceiling['rule']}): none for this lender and loan — {ceiling['source']}; "
                      f"rates: {rates}")
        return
    above = ceiling["above"]
    verdict = f"[bold red]ABOVE THE CEILING: {', '.join(above)}[/bold red]" if above else "within the ceiling"
    console.print(f"rate ceiling ({ceiling['rule']}): {_pct(ceiling['annual_rate'])} a year in "
                  f"{ceiling['state']} for a {ceiling['lender_class']} lender on {ceiling['amount']:,} {cur} — "
                  f"{ceiling['source']}")
    console.print(f"  rates: {rates}: {verdict}" + ("" if ceiling["default_above_ceiling"] else
                                                     "; a default rate may not exceed the ceiling"))
    for note in ceiling["confirm"]:
        console.print(f"  a lawyer should confirm: {note}")


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


LINE_LABELS = {
    "contract": "per the contract",
    "rate_cap": "rates above the cap",
    "rate_cap_set_off": "interest paid above the cap, set against principal",
    "acknowledged": "acknowledged in the agreement",
    "acknowledged_above_cap": "acknowledged above the lawful amount",
    "waiver_held": "conditional waiver held",
    "paid_under_plan": "paid under the plan",
    "revived_waiver": "waiver revived on breach",
    "revived_interest": "suspended interest revived on breach",
    "default_penalty": "default penalty",
    "rate_cap_plan": "plan interest and default penalty above the cap, not claimed",
    "cap_together": "cost cut to the cap (together)",
    "cost_set_off": "cost paid above the cap, set against principal",
}


def _source(line: dict[str, Any]) -> str:
    source, clause = line["source"], line.get("clause", "")
    where = {"contract": f"contract {clause}".strip(), "agreement": f"agreement clause {clause}",
             "payments": f"{line.get('count', 0)} payments", "rule": f"rule {clause}"}[source]
    span = ""
    if line.get("start") or line.get("end"):
        span = f" {line.get('start') or ''}→{line.get('end') or ''}"
    rate = f" at {line['rate'] * 100:.4g} %" if line.get("rate") is not None else ""
    return f"{where}{span}{rate}"


def print_reconciliation(console: Console, view: dict[str, Any]) -> None:
    table = Table(title=f"Reconciliation ({view['basis']})", show_header=True)
    table.add_column("step")
    table.add_column("amount", justify="right")
    table.add_column("source")
    for line in view["reconciliation"]:
        amount = f"({line['amount']:,})" if line.get("info") else f"{line['amount']:+,}"
        table.add_row(LINE_LABELS.get(line["key"], line["key"]), amount, _source(line))
    label = "claimed" if view["accelerated"] else PRE_ACCELERATION["total"]
    table.add_row(f"[bold]{label}[/bold]", f"[bold]{view['claimed_total']:,}[/bold]", "")
    console.print(table)
