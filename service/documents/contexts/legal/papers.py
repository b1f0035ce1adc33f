"""How the forum state names a US court paper (US-25, the state table's data): the caption's
number label, the custodian's statement by the form the state takes it in, and each kind's title in
the packet's contents and bookmarks."""

from typing import Self

from pydantic import Field

from service.cases.us_law import court_papers
from service.documents.contexts.common import Frozen
from service.documents.contexts.facts import CaseFacts


class PapersBlock(Frozen):
    number_label: str = "Case No."
    # jurat | affirmation_cplr_2106 | declaration_ccp_2015_5 | declaration_cprc_132_001: the template words each
    attestation: str = "jurat"
    statement_heading: str = "Affidavit of Debt"  # "{declarant}" stands for the declarant's name
    statement_word: str = "affidavit"
    # each kind's title (the document's own title, the packet's contents and bookmarks); the defaults,
    # as above, are the general form's: a complaint and a notarized affidavit
    titles: dict[str, str] = Field(default_factory=lambda: {"debt_claim_petition": "Complaint",
                                                            "affidavit_of_debt": "Affidavit of debt"})
    pleading_paper: bool = False  # the state's line-numbered pleading paper (CourtPapers.pleading_paper)

    @classmethod
    def of(cls, facts: CaseFacts) -> Self:
        p = court_papers(facts.rules, facts.cf.case.us_state or "")
        return cls(number_label=p.number_label, attestation=p.attestation, statement_heading=p.statement_heading,
                   statement_word=p.statement_word, titles=p.titles, pleading_paper=p.pleading_paper)

    def heading(self, declarant: str) -> str:
        return self.statement_heading.replace("{declarant}", declarant)
