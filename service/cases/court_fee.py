"""Court fees of property cases: 诉讼费用交纳办法 (国务院令第481号) arts 13–16.

Every fee is computed exactly and rounded once to cents with `round_money`.
"""

from dataclasses import dataclass
from decimal import Decimal

from service.cases.money import ZERO, DecimalLike, round_money, to_decimal
from service.cases.rules import load_ruleset

RULE = "CN-25"  # its params hold the basis wording, per locale
FLAT_FEE = Decimal(50)
# Art. 13(一): (upper bound of the bracket, rate on the part of the claim inside it).
BRACKETS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(100_000), Decimal("0.025")),
    (Decimal(200_000), Decimal("0.02")),
    (Decimal(500_000), Decimal("0.015")),
    (Decimal(1_000_000), Decimal("0.01")),
    (Decimal(2_000_000), Decimal("0.009")),
    (Decimal(5_000_000), Decimal("0.008")),
    (Decimal(10_000_000), Decimal("0.007")),
    (Decimal(20_000_000), Decimal("0.006")),
    (None, Decimal("0.005")),
)
FLAT_UPTO = Decimal(10_000)
# Art. 14(二): (upper bound, rate) for preservation applications; 30 up to 1,000, max 5,000.
PRESERVATION_BRACKETS: tuple[tuple[Decimal | None, Decimal], ...] = (
    (Decimal(100_000), Decimal("0.01")),
    (None, Decimal("0.005")),
)
PRESERVATION_FLAT, PRESERVATION_FLAT_UPTO, PRESERVATION_MAX = (
    Decimal(30),
    Decimal(1_000),
    Decimal(5_000),
)


@dataclass(frozen=True, slots=True)
class FeeBracket:
    lower: Decimal
    upper: Decimal | None  # None: open-ended
    rate: Decimal | None  # None: the flat per-case fee
    fee: Decimal  # the fee owed for the part of the amount inside this bracket (exact)


@dataclass(frozen=True, slots=True)
class CourtFee:
    amount: Decimal
    full: Decimal  # art. 13(一)
    halved: Decimal  # arts 15–16: mediation, withdrawal, simplified procedure
    payable: Decimal  # halved when simplified, else full
    brackets: tuple[FeeBracket, ...]
    preservation: Decimal | None  # art. 14(二), when an amount to preserve was given
    payment_order: Decimal  # art. 14(三): one third of the property-case fee
    basis_text_en: str
    basis_text_zh: str


def _checked(amount: DecimalLike) -> Decimal:
    value = to_decimal(amount)
    if value < 0:
        raise ValueError(f"a fee needs an amount of at least 0, got {value}")
    return value


def _cumulative(
    value: Decimal,
    flat: Decimal,
    flat_upto: Decimal,
    brackets: tuple[tuple[Decimal | None, Decimal], ...],
) -> list[FeeBracket]:
    if value == 0:
        return []  # nothing claimed, no case: no fee
    lines = [FeeBracket(ZERO, flat_upto, None, flat)]
    lower = flat_upto
    for upper, rate in brackets:
        if value <= lower:
            break
        top = value if upper is None else min(value, upper)
        lines.append(FeeBracket(lower, upper, rate, (top - lower) * rate))
        lower = top
    return lines


def fee_brackets(amount: DecimalLike) -> list[FeeBracket]:
    """The art. 13(一) brackets the amount reaches, each with the fee owed inside it."""
    return _cumulative(_checked(amount), FLAT_FEE, FLAT_UPTO, BRACKETS)


def court_fee(amount: DecimalLike) -> Decimal:
    """The art. 13(一) fee of a property case claiming `amount`."""
    return round_money(sum((b.fee for b in fee_brackets(amount)), ZERO))


def halved(fee: DecimalLike) -> Decimal:
    """Half a fee (arts 15–16), to cents."""
    return round_money(to_decimal(fee) / 2)


def payment_order_fee(amount: DecimalLike) -> Decimal:
    """Art. 14(三): a payment order costs one third of the property-case fee."""
    return round_money(court_fee(amount) / 3)


def preservation_fee(amount: DecimalLike) -> Decimal:
    """Art. 14(二): 30 up to 1,000; 1 % to 100,000; 0.5 % above; never more than 5,000."""
    lines = _cumulative(
        _checked(amount), PRESERVATION_FLAT, PRESERVATION_FLAT_UPTO, PRESERVATION_BRACKETS
    )
    return round_money(min(sum((b.fee for b in lines), ZERO), PRESERVATION_MAX))


def compute_court_fee(
    amount: DecimalLike, *, simplified: bool = False, preservation_amount: DecimalLike | None = None
) -> CourtFee:
    """Every fee of a property claim of `amount`, with its brackets and legal basis."""
    value = _checked(amount)
    full = court_fee(value)
    half = halved(full)
    keep = preservation_fee(preservation_amount) if preservation_amount is not None else None
    basis = load_ruleset("CN").param(RULE, "basis")["simplified" if simplified else "full"]
    return CourtFee(
        amount=value,
        full=full,
        halved=half,
        payable=half if simplified else full,
        brackets=tuple(fee_brackets(value)),
        preservation=keep,
        payment_order=payment_order_fee(value),
        basis_text_en=basis["en"],
        basis_text_zh=basis["zh"],
    )
