"""Rich renderings for the CLI.

`dossier claim` prints in one language: Chinese for a CN case, English for a US case, unless
``--lang`` says otherwise (LABELS below). The amounts are the claim computation's, in the
contract's currency, whatever the language.
"""

from decimal import Decimal
from typing import Any

from rich.console import Console
from rich.table import Table

from service.cases.rules import load_ruleset

LANGS = ("zh", "en")

# Before acceleration nothing beyond what is overdue is claimable: the whole balance is what would
# fall due on acceleration, never "claimed".
LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "Claim of {ref} as of {as_of}",
        "pre_title": "not accelerated: amounts if accelerated on {as_of}",
        "component": "component",
        "amount": "amount ({cur})",
        "principal": "principal", "interest": "interest", "penalty": "penalty", "compound": "compound",
        "fees": "fees",
        "claimed_total": "claimed total", "claimed_total_fee": "claimed total (标的额)",
        "due_now": "due now (overdue)",
        "on_acceleration": "falls due on acceleration",
        "total": "total on acceleration",
        "total_fee": "total on acceleration (标的额 if filed)",
        "recon_title": "Reconciliation ({basis})", "basis.contract": "contract", "basis.agreement": "agreement",
        "step": "step", "source": "source", "claimed": "claimed",
        "src.contract": "contract {clause}", "src.agreement": "agreement clause {clause}",
        "src.payments": "{count} payments", "src.rule": "rule {clause}", "src.rate": " at {rate} %",
        "src.item": " item {item}",
        "rv_title": "Loan interest waived on condition and charged again on default (agreement clauses {interest} "
                    "and {default}), period by period",
        "rv_period": "period", "rv_days": "days charged", "rv_waived": "waived", "rv_revived": "charged again",
        "rv_whole": "{first} to {last} (whole)", "rv_part": "{first} to {last}: {days} days of the "
                    "period, {base} × {rate} % ÷ {basis}",
        "rv_rest": "later periods and the rest of the running one: not charged", "rv_total": "total",
        "rv_waiver": "forgiveness lost on default: {parts} (acknowledged, held back by clause {clause})",
        "cap": "cap applied: {rule} at {rate} % a year — {basis}",
        "cap_figures": "  cost on the {terms}'s own terms {contract_cost}; the cap's allowance "
                       "{gross_allowance} gross, already paid {cost_paid}, left to claim {allowed_cost}; "
                       "reduced by {reduced_by}",
        "terms.contract": "contract", "terms.agreement": "agreement",
        "no_cap": "no rate cap ({rule}): {basis}",
        "continuing": "continuing interest: from {from_date} on {base} at {rate} % a year until paid",
        "continuing_to_judgment": "continuing interest: from {from_date} on {base} at {rate} % a year until entry "
                                  "of judgment",
        "no_continuing": "continuing interest: none from {from_date}: no principal remains unpaid, and default "
                         "interest runs on principal only",
        "judgment_interest": "judgment interest ({rule}): from entry of judgment until paid at {rate} % a year — "
                             "{citation}{applies}",
        "judgment_refused": "judgment interest ({rule}): {refused}",
        "confirm": "  a lawyer should confirm: {note}",
        "court_fee": "court fee on {amount}: {full} (halved {halved}); preservation fee {preservation}",
        "acknowledged": "acknowledged in {no} as of {on}: principal {principal}{not_due}, interest {interest}, "
                        "penalty {penalty}, fees {fee}",
        "not_due": " (of which {amount} not yet due under the loan contract's schedule)",
        "recon_not_due": "  of which principal not yet due under the loan contract's schedule (paid on its dates, "
                         "not accelerated by the agreement)",
        "paid_split": "paid on the contract before the agreement: {before}; paid under the agreement: {under}",
        "ledger": "ledger: paid to date {paid}",
        "overdue": "overdue since {since} (the first due date not paid in full): {dpd} days past due",
        "it_title": "Validation notice itemization ({rule}), as a notice dated {to} states it",
        "it_item": "item", "it_then": "owed on the itemization date ({basis}, {on})",
        "it_interest": "+ interest charged since", "it_interest_due": "    contract interest that fell due",
        "it_penalty": "    default interest (penalty) accrued", "it_compound": "    compound interest accrued",
        "it_fees": "+ fees charged since", "it_payments": "- paid or credited since",
        "it_current": "current amount of the debt",
        "it_to_claim": "From the notice's current amount to the claim",
        "it_notice": "notice (current)", "it_adds": "the claim adds", "it_claim": "claim",
        "it_unapplied": "unapplied credit", "it_total": "total",
        "it_accrued": "  the claim adds to interest what accrued in the running period and falls due on acceleration",
        "it_sent": "  a validation notice was sent on {day}: `--as-of {day}` gives the figures it states",
        "basis.last_payment": "last payment", "basis.transaction": "transaction",
        "basis.last_statement": "last statement", "basis.charge_off": "charge-off", "basis.judgment": "judgment",
    },
    "zh": {
        "title": "{ref} 诉讼请求金额（截至{as_of}）",
        "pre_title": "尚未宣布提前到期：以下为假定于{as_of}提前到期的金额",
        "component": "项目",
        "amount": "金额（{cur}）",
        "principal": "本金", "interest": "利息", "penalty": "罚息", "compound": "复利", "fees": "费用",
        "claimed_total": "请求合计", "claimed_total_fee": "请求合计（诉讼标的额）",
        "due_now": "现已到期（逾期）",
        "on_acceleration": "提前到期时另行到期",
        "total": "提前到期后合计",
        "total_fee": "提前到期后合计（起诉时的标的额）",
        "recon_title": "从合同到请求金额（依据：{basis}）", "basis.contract": "借款合同",
        "basis.agreement": "还款协议",
        "step": "步骤", "source": "依据", "claimed": "请求金额",
        "src.contract": "借款合同{clause}", "src.agreement": "还款协议第{clause}条",
        "src.payments": "还款记录（{count}笔）", "src.rule": "规则{clause}", "src.rate": "，年利率{rate}%",
        "src.item": "第{item}项",
        "rv_title": "违约后恢复主张的原合同利息逐期明细（还款协议第{interest}条附条件减免，第{default}条恢复）",
        "rv_period": "期次", "rv_days": "恢复计收的期间", "rv_waived": "减免金额", "rv_revived": "恢复主张",
        "rv_whole": "{first}至{last}（全额）", "rv_part": "{first}至{last}，{days}天："
                    "{base}×{rate}%÷{basis}×{days}",
        "rv_rest": "此后各期及提前到期日所在一期的其余部分（不再计收）", "rv_total": "合计",
        "rv_waiver": "违约后减免失效：{parts}（协议确认、第{clause}条附条件减免的部分）",
        "cap": "适用利率上限：{rule}，年利率{rate}% — {basis}",
        "cap_figures": "  {terms}约定计算的资金成本{contract_cost}；资金成本上限{gross_allowance}，已付{cost_paid}，"
                       "尚可主张{allowed_cost}；调减{reduced_by}",
        "terms.contract": "按借款合同", "terms.agreement": "按还款协议及借款合同",
        "no_cap": "不适用利率上限（{rule}）：{basis}",
        "cap_reduced": "  可主张的资金成本按{rule}上限调减{amount}",
        "cap_set_off": "  已付资金成本超过上限{amount}，冲抵本金",
        "continuing": "继续计息：自{from_date}起以{base}为基数按年利率{rate}%计算至实际清偿之日止",
        "continuing_to_judgment": "继续计息：自{from_date}起以{base}为基数按年利率{rate}%计算至判决作出之日止",
        "no_continuing": "继续计息：无（自{from_date}起）：本金已全部清偿，罚息仅以未还本金为基数计算",
        "judgment_interest": "判决后利息（{rule}）：自判决作出之日起至实际清偿之日止按年利率{rate}%计算 — "
                             "{citation}{applies}",
        "judgment_refused": "判决后利息（{rule}）：{refused}",
        "confirm": "  须由律师确认：{note}",
        "court_fee": "诉讼费（按{amount}计）：{full}（减半{halved}）；保全费{preservation}",
        "acknowledged": "还款协议{no}确认的债务（截至{on}）：本金{principal}{not_due}，"
                        "利息{interest}，罚息{penalty}，费用{fee}",
        "not_due": "（其中依原借款合同还款计划尚未到期的本金{amount}）",
        "recon_not_due": "  其中：依原借款合同还款计划尚未到期的本金（按原还款日偿还，不因本协议提前到期）",
        "paid_split": "协议签订前按借款合同已还：{before}；协议项下已还：{under}",
        "ledger": "已还合计{paid}",
        "overdue": "逾期天数{dpd}（自{since}首次未按约定足额还款的应还日次日起算）",
        "it_title": "债务核实通知（validation notice）的分项金额（{rule}），按{to}发出的通知计",
        "it_item": "项目", "it_then": "分项起算日所欠金额（{basis}，{on}）",
        "it_interest": "+ 此后计收的利息", "it_interest_due": "    其中到期的合同利息",
        "it_penalty": "    其中产生的罚息", "it_compound": "    其中产生的复利",
        "it_fees": "+ 此后计收的费用", "it_payments": "- 此后已还或冲抵",
        "it_current": "现欠金额",
        "it_to_claim": "从通知的现欠金额到请求金额",
        "it_notice": "通知（现欠）", "it_adds": "请求另计", "it_claim": "请求",
        "it_unapplied": "未分配余额", "it_total": "合计",
        "it_accrued": "  请求另计的利息：当期已产生、提前到期时到期的利息",
        "it_sent": "  已于{day}发出债务核实通知：`--as-of {day}` 即得该通知所载金额",
        "basis.last_payment": "最后一次还款日", "basis.transaction": "借款发放日",
        "basis.last_statement": "最后一期账单日", "basis.charge_off": "核销日", "basis.judgment": "判决日",
    },
}
# Kept for the callers that name the pre-acceleration labels (English).
PRE_ACCELERATION = {k: LABELS["en"][k] for k in ("due_now", "on_acceleration", "total", "total_fee")}

LINE_LABELS: dict[str, dict[str, str]] = {
    "en": {
        "contract": "per the contract",
        "rate_cap": "rates above the cap",
        "rate_cap_set_off": "interest paid above the cap, set against principal",
        "acknowledged": "acknowledged in the agreement",
        "acknowledged_above_cap": "acknowledged above the lawful amount",
        "waiver_held": "conditional waiver held",
        "interest_waiver_held": "contract interest to come, waived on condition (held; not in the agreement's debt)",
        "paid_under_plan": "paid under the plan",
        "revived_waiver": "waiver revived on breach",
        "revived_interest": "suspended interest revived on breach",
        "revived_interest_waiver": "contract interest waived on condition, revived (to the day before acceleration)",
        "default_penalty": "default penalty",
        "rate_cap_plan": "plan interest and default penalty above the cap, not claimed",
        "cap_together": "cost cut to the cap (together)",
        "cost_set_off": "cost paid above the cap, set against principal",
    },
    # as the claim statement words them (templates/legal/_partials/labels.zh-CN.html, recon)
    "zh": {
        "contract": "按借款合同计算",
        "rate_cap": "超过利率上限的利息、罚息不予主张",
        "rate_cap_set_off": "超过利率上限已付的利息冲抵本金",
        "acknowledged": "还款协议确认的债务",
        "acknowledged_above_cap": "协议确认金额中超过利率上限的部分",
        "waiver_held": "附条件减免（协议履行期间暂不主张）",
        "interest_waiver_held": "协议附条件不再收取的原合同未到期利息（履行期间不主张，不在确认债务之内）",
        "paid_under_plan": "协议签订后已还款项",
        "revived_waiver": "违约后减免失效，恢复主张",
        "revived_interest": "违约后恢复计收停息期间的利息",
        "revived_interest_waiver": "违约后原合同利息减免失效，恢复主张（计至提前到期日前一日）",
        "default_penalty": "提前到期后的罚息",
        "rate_cap_plan": "协议期间利息及违约罚息中超过利率上限的部分（不予主张）",
        "cap_together": "各项费用合计超过利率上限的部分",
        "cost_set_off": "已付资金成本超过上限的部分冲抵本金",
    },
}
CONTRACT_CLAUSES_ZH = {"acceleration": "（提前到期条款）"}


def default_lang(view: dict[str, Any]) -> str:
    """The case's own language, its jurisdiction's default locale: Chinese for a CN case, English
    for a US one."""
    return load_ruleset(view["profile"]).default_locale.split("-")[0]


def print_claim(console: Console, view: dict[str, Any], lang: str | None = None) -> None:
    lang = lang or default_lang(view)
    if lang not in LANGS:
        raise ValueError(f"language {lang!r} is not one of {LANGS}")
    t = LABELS[lang]
    cur, pre = view["currency"], not view["accelerated"]
    title = t["title"].format(ref=view["case_ref"], as_of=view["as_of"])
    if pre:
        title += " — " + t["pre_title"].format(as_of=view["as_of"])
    table = Table(title=title, show_header=True)
    table.add_column(t["component"])
    table.add_column(t["amount"].format(cur=cur), justify="right")
    for key in ("principal", "interest", "penalty", "compound", "fees"):
        table.add_row(t[key], f"{view[key]:,}")
    fee_table = view["court_fee"] is not None  # 标的额: the amount the court fee is computed on
    if pre:
        table.add_row(t["total_fee" if fee_table else "total"], f"{view['claimed_total']:,}")
        table.add_row(f"[bold]{t['due_now']}[/bold]", f"[bold]{view['due_now']:,}[/bold]")
        table.add_row(t["on_acceleration"], f"{view['on_acceleration']:,}")
    else:
        total = t["claimed_total_fee" if fee_table else "claimed_total"]
        table.add_row(f"[bold]{total}[/bold]", f"[bold]{view['claimed_total']:,}[/bold]")
    console.print(table)
    for note in view["notes"]:  # e.g. what a recorded acceleration did after the schedule matured
        console.print(f"note: {note}")
    print_reconciliation(console, view, lang)
    _print_cap(console, view["cap"], lang)
    if view["rate_ceiling"] is not None:
        print_rate_ceiling(console, view["rate_ceiling"], cur)
    ci = view["continuing_interest"]
    judgment = view.get("judgment_interest")
    if not ci["base"]:  # what is left is interest: nothing runs on it (no interest on interest)
        console.print(t["no_continuing"].format(from_date=ci["from_date"]))
    elif lang == "zh" and ci["text_zh"]:
        console.print(f"继续计息：{ci['text_zh']}")
    else:
        key = "continuing_to_judgment" if judgment is not None else "continuing"
        console.print(t[key].format(from_date=ci["from_date"], base=f"{ci['base']:,}",
                                    rate=f"{ci['annual_rate'] * 100:.4g}"))
    if judgment is not None and not (lang == "zh" and ci["text_zh"]):
        print_judgment_interest(console, judgment, t)
    fee = view["court_fee"]
    if fee is not None:
        console.print(t["court_fee"].format(amount=f"{fee['amount']:,}", full=f"{fee['full']:,}",
                                            halved=f"{fee['halved']:,}", preservation=f"{fee['preservation']:,}"))
    ledger = view["ledger"]  # the claim's basis: the agreement's where one governs
    if view["agreement"] is not None:  # the contract ledger stops at the acknowledgement
        agreement = view["agreement"]
        ack = agreement["acknowledged"]
        console.print(t["acknowledged"].format(
            no=agreement["agreement_no"], on=agreement["acknowledged_on"], principal=f"{ack['principal']:,}",
            not_due=_not_due(t["not_due"], agreement["principal_not_due"]), interest=f"{ack['interest']:,}",
            penalty=f"{ack['penalty']:,}", fee=f"{ack['fee']:,}"))
        console.print(t["paid_split"].format(before=f"{view['contract_ledger']['paid_total']:,}",
                                             under=f"{ledger['paid_total']:,}"))
    else:
        console.print(t["ledger"].format(paid=f"{ledger['paid_total']:,}"))
    if ledger["overdue_from"] is not None:  # counted as the documents count it (逾期时间)
        console.print(t["overdue"].format(since=ledger["overdue_from"], dpd=ledger["days_past_due"]))
    if view.get("itemization") is not None:
        print_itemization(console, view, lang)


PARTS = ("principal", "interest", "penalty", "compound", "fees")


def print_itemization(console: Console, view: dict[str, Any], lang: str) -> None:
    """The validation notice's itemization (12 CFR 1006.34(c)(2)) and, component by component, how
    its current amount becomes the claim (US, a collector's case)."""
    t, it, cur = LABELS[lang], view["itemization"], view["currency"]
    table = Table(title=t["it_title"].format(rule=it["rule"], to=it["to"]), show_header=True)
    table.add_column(t["it_item"])
    table.add_column(t["amount"].format(cur=cur), justify="right")
    table.add_row(t["it_then"].format(basis=t[f"basis.{it['basis']}"], on=it["on"]), f"{it['amount_then']:,}")
    table.add_row(t["it_interest"], f"{it['interest']:,}")
    for key in ("interest_due", "penalty", "compound"):
        table.add_row(t[f"it_{key}"], f"{it[key]:,}")
    table.add_row(t["it_fees"], f"{it['fees']:,}")
    table.add_row(t["it_payments"], f"{it['payments']:,}")
    table.add_row(f"[bold]{t['it_current']}[/bold]", f"[bold]{it['current']:,}[/bold]")
    console.print(table)
    link = Table(title=t["it_to_claim"], show_header=True)
    for head in (t["component"], t["it_notice"], t["it_adds"], t["it_claim"]):
        link.add_column(head, justify="left" if head == t["component"] else "right")
    for key in PARTS:
        current, adds = it["current_parts"][key], it["to_claim"][key]
        link.add_row(t[key], f"{current:,}", f"{adds:+,}", f"{current + adds:,}")
    if it["unapplied"]:
        link.add_row(t["it_unapplied"], f"{-it['unapplied']:,}", f"{it['unapplied']:+,}", "0.00")
    total_adds = it["claim_total"] - it["current"]
    link.add_row(f"[bold]{t['it_total']}[/bold]", f"[bold]{it['current']:,}[/bold]", f"[bold]{total_adds:+,}[/bold]",
                 f"[bold]{it['claim_total']:,}[/bold]")
    console.print(link)
    if not view["accelerated"] and it["to_claim"]["interest"] > 0:
        console.print(t["it_accrued"])
    if it["first_sent"] is not None:
        console.print(t["it_sent"].format(day=it["first_sent"]))


def _print_cap(console: Console, cap: dict[str, Any], lang: str) -> None:
    t = LABELS[lang]
    basis = cap["basis_zh"] if lang == "zh" and cap.get("basis_zh") else cap["basis"]
    if not cap["binding"]:
        console.print(t["no_cap"].format(rule=cap["rule"], basis=basis))
    else:
        console.print(t["cap"].format(rule=cap["rule"], rate=f"{cap['annual_rate'] * 100:.4f}", basis=basis))
        console.print(t["cap_figures"].format(terms=t[f"terms.{cap.get('terms', 'contract')}"], **{
            k: f"{cap[k]:,}" for k in ("contract_cost", "gross_allowance", "allowed_cost", "cost_paid", "reduced_by")}))
    if lang == "en":
        for note in cap["notes"]:
            console.print(f"  {note}")
        return
    # the computation's notes are English: in Chinese, the same two facts from its figures
    cut = cap["reduced_by"]
    if cap["binding"] and cut:
        console.print(t["cap_reduced"].format(rule=cap["rule"], amount=f"{cut:,}"))
    if cap["binding"] and cap["set_off"]:
        console.print(t["cap_set_off"].format(amount=f"{cap['set_off']:,}"))


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


def print_judgment_interest(console: Console, judgment: dict[str, Any], t: dict[str, str]) -> None:
    """US-15: the rate a judgment on the claim bears, by the state's statute, and what to confirm."""
    if judgment["annual_rate"] is None:
        console.print(t["judgment_refused"].format(rule=judgment["rule"], refused="; ".join(judgment["refused"])))
        return
    rate = f"{(judgment['annual_rate'] * 100).normalize():f}"
    console.print(t["judgment_interest"].format(rule=judgment["rule"], rate=rate,
                                                citation=judgment["citation"],
                                                applies=f": {judgment['applies']}" if judgment["applies"] else ""))
    for note in judgment["confirm"]:
        console.print(t["confirm"].format(note=note))


def _pct(rate: Decimal) -> str:
    return f"{(rate * 100).normalize():f} %"


def _source(line: dict[str, Any], lang: str) -> str:
    t = LABELS[lang]
    source, clause = line["source"], line.get("clause", "")
    if source == "contract" and lang == "zh":
        clause = CONTRACT_CLAUSES_ZH.get(clause, clause)
    where = t[f"src.{source}"].format(clause=clause, count=line.get("count", 0)).strip()
    if line.get("item"):  # the agreement's own rate, stated in an item of the clause
        where += t["src.item"].format(item=line["item"])
    span = ""
    if line.get("start") or line.get("end"):
        span = f" {line.get('start') or ''}→{line.get('end') or ''}"
    rate = t["src.rate"].format(rate=f"{line['rate'] * 100:.4g}") if line.get("rate") is not None else ""
    return f"{where}{span}{rate}"


def _not_due(label: str, amount: Decimal) -> str:
    """The acknowledged principal's part not yet due under the contract's schedule, when there is one."""
    return label.format(amount=f"{amount:,}") if amount else ""


def print_reconciliation(console: Console, view: dict[str, Any], lang: str | None = None) -> None:
    lang = lang or default_lang(view)
    t = LABELS[lang]
    table = Table(title=t["recon_title"].format(basis=t[f"basis.{view['basis']}"]), show_header=True)
    table.add_column(t["step"])
    table.add_column(t["amount"].format(cur=view["currency"]), justify="right")
    table.add_column(t["source"])
    for line in view["reconciliation"]:
        amount = f"({line['amount']:,})" if line.get("info") else f"{line['amount']:+,}"
        label = LINE_LABELS[lang].get(line["key"], line["key"])
        if lang == "zh" and line["key"] == "rate_cap" and line.get("info"):  # before an agreement
            label = "借款合同约定利率超过利率上限的部分（还款协议确认的债务不含该部分）"
        table.add_row(label, amount, _source(line, lang))
        not_due = (view["agreement"] or {}).get("principal_not_due")
        if line["key"] == "acknowledged" and not_due:  # part of the line above, shown apart (review C12-3)
            table.add_row(t["recon_not_due"], f"({not_due:,})", "")
    label = t["claimed"] if view["accelerated"] else t["total"]
    table.add_row(f"[bold]{label}[/bold]", f"[bold]{view['claimed_total']:,}[/bold]", "")
    console.print(table)
    if view["agreement"] is not None:
        print_revived(console, view, lang)


PART_WORDS = {"en": {"penalty": "default interest", "interest": "interest", "fee": "fees", "principal": "principal"},
              "zh": {"penalty": "罚息", "interest": "利息", "fee": "费用", "principal": "本金"}}


def print_revived(console: Console, view: dict[str, Any], lang: str) -> None:
    """Where the amounts an agreement's default clause revived come from: the conditional waiver by
    the acknowledged component it held back, and the contract interest to come period by period
    (the claim's own figures: they add up to its revived_waiver and revived_interest_waiver lines)."""
    t, a = LABELS[lang], view["agreement"]
    recon = {line["key"]: line for line in view["reconciliation"]}
    if a["revived_waiver_parts"] and "revived_waiver" in recon:
        parts, gap = ("、", "") if lang == "zh" else (", ", " ")
        console.print(t["rv_waiver"].format(parts=parts.join(f"{PART_WORDS[lang][k]}{gap}{v:,}"
                                                             for k, v in a["revived_waiver_parts"].items()),
                                            clause=recon.get("waiver_held", {}).get("clause", "")))
    periods = a["revived_interest_periods"]
    if not periods:
        return
    table = Table(title=t["rv_title"].format(interest=a["interest_clause"], default=a["default_clause"]),
                  show_header=True)
    for head in ("rv_period", "rv_days", "rv_waived", "rv_revived"):
        table.add_column(t[head], justify="left" if head == "rv_days" else "right")
    basis = a["day_basis"]
    for p in periods:
        text = t["rv_whole"].format(first=p["first_day"], last=p["last_day"], due=p["due_date"]) \
            if p["days"] is None else \
            t["rv_part"].format(first=p["first_day"], last=p["last_day"], days=p["days"], base=f"{p['base']:,}",
                                rate=f"{p['annual_rate'] * 100:.4g}", basis=basis)
        table.add_row(str(p["no"]), text, f"{p['waived']:,}", f"{p['revived']:,}")
    if a["not_revived"]:
        table.add_row("", t["rv_rest"], f"{a['not_revived']:,}", "0.00")
    table.add_row(t["rv_total"], "", f"{a['interest_not_charged']:,}", f"[bold]{a['revived_interest_waiver']:,}[/bold]")
    console.print(table)
