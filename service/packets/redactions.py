"""Which copy of an upload a court filing files: where the forum's rule makes a filing show an
account number by its last digits only (Tex. R. Civ. P. 21c), an upload's redacted copy stands in
its original's place, and an upload of a category the rule names (a file that shows the number
whole) without one is named missing. The original keeps its row and its hash: the filing party
retains the unredacted version (21c(c)); the copy is an upload of its own that names it.
"""

from dataclasses import dataclass, field

from service.cases.masking import Redaction
from service.packets.models import EvidenceItem


@dataclass(frozen=True)
class Filed:
    items: list[EvidenceItem]  # the uploads as the filing files them, in upload order
    copies: dict[int, EvidenceItem] = field(default_factory=dict)  # a filed copy's id -> its original
    lacking: list[EvidenceItem] = field(default_factory=list)  # originals the rule wants a copy of


def filed_copies(items: list[EvidenceItem], redaction: Redaction | None) -> Filed:
    """`items` in upload order. Where filings show identities whole (`redaction` None: CN, 民诉法
    art. 124) the originals are filed and the copies left out; else each original with a copy is
    filed as its latest copy, in the original's place."""
    originals = [i for i in items if i.redaction_of is None]
    if redaction is None:
        return Filed(originals)
    latest = {i.redaction_of: i for i in items if i.redaction_of is not None}  # upload order: the last wins
    filed: list[EvidenceItem] = []
    copies: dict[int, EvidenceItem] = {}
    lacking: list[EvidenceItem] = []
    for item in originals:
        if (copy := latest.get(item.id)) is not None:
            filed.append(copy)
            copies[copy.id] = item
            continue
        filed.append(item)
        if item.category in redaction.uploads:
            lacking.append(item)
    return Filed(filed, copies, lacking)
