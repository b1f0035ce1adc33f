"""Rich renderings for the CLI."""

from typing import Any

from rich.console import Console
from rich.table import Table


def print_claim(console: Console, view: dict[str, Any]) -> None:
    cur = view["currency"]
    table = Table(title=f"Claim of {view['case_ref']} as of {view['as_of']}", show_header=True)
    table.add_column("component")
    table.add_column(f"amount ({cur})", justify="right")
    for key in ("principal", "interest", "penalty", "compound", "fees"):
        table.add_row(key, f"{view[key]:,}")
    table.add_row("[bold]claimed total (标的额)[/bold]", f"[bold]{view['claimed_total']:,}[/bold]")
    console.print(table)
    cap = view["cap"]
    console.print(f"cap applied: {cap['rule']} at {cap['annual_rate'] * 100:.4f} % a year — {cap['basis']}")
    console.print(f"  contract cost {cap['contract_cost']:,}, allowed {cap['allowed_cost']:,}, "
                  f"already paid {cap['cost_paid']:,}, reduced by {cap['reduced_by']:,}")
    ci = view["continuing_interest"]
    console.print(f"continuing interest: {ci['text_zh']}")
    fee = view["court_fee"]
    console.print(f"court fee on {fee['amount']:,}: {fee['full']:,} (halved {fee['halved']:,}); "
                  f"preservation fee {fee['preservation']:,}")
    ledger = view["ledger"]
    console.print(f"ledger: paid to date {ledger['paid_total']:,}; days past due {ledger['days_past_due']}")
