"""What the packet contexts read of a packet plan, and who supplies it.

The plan (which exhibits a court needs, in what order, what is missing) is made by the packets
package, which renders through documents and so sits above it. The packet builder passes its
plan in; a document of these kinds generated on its own gets the case's plan from the
``Planner`` its caller supplies: the app, the CLI and the batch job wire in the packets package's
planner bound to their session (``SessionPlanner``), which plans from the case's evidence and
documents exactly as the packet builder does, so a complaint generated on its own lists the
exhibits the packet's evidence index numbers.
"""

from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from service.cases.casefile import CaseFile


class PlannedExhibit(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def group(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def form(self) -> str: ...
    @property
    def origin(self) -> str: ...
    @property
    def original_available(self) -> bool: ...
    @property
    def purpose(self) -> str: ...
    @property
    def redacted(self) -> bool: ...  # a redacted copy filed in its original's place
    @property
    def missing(self) -> bool: ...  # not on file (the plan names it missing): no original, no pages
    @property
    def mailed(self) -> Sequence["PlannedWaybill"]: ...  # what its letters were mailed under (DOC-11)


class PlannedWaybill(Protocol):
    @property
    def carrier(self) -> str: ...  # ems | usps
    @property
    def number(self) -> str: ...  # the tracking number


class PlannedRecord(PlannedExhibit, Protocol):
    """An exhibit of the plan, with when what it files was on file (US-12: the review it covers)."""

    @property
    def received_at(self) -> datetime | None: ...  # its latest upload's time; None: nothing uploaded


class PlannedPleading(Protocol):
    @property
    def kind(self) -> str: ...


class PlannedFilerForm(Protocol):
    @property
    def form(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def stage(self) -> str: ...  # filing | service | default_judgment: the step it goes with
    def for_court(self, court: str) -> bool: ...  # whether it is the named court's (US-24 "court")


class ExhibitPlan(Protocol):
    @property
    def pleadings(self) -> Sequence[PlannedPleading]: ...
    @property
    def exhibits(self) -> Sequence[PlannedRecord]: ...
    @property
    def recordings(self) -> Sequence[PlannedExhibit]: ...  # listed in the index, shipped beside the PDF
    @property
    def missing(self) -> Sequence[str]: ...
    @property
    def bound(self) -> bool: ...  # the plan of a packet being built: the index states final pages
    @property
    def filer_forms(self) -> Sequence[PlannedFilerForm]: ...  # the court's forms the filer attaches (US-24)
    @property
    def withheld(self) -> Sequence[str]: ...  # uploads not filed, each with its reason (US-26)
    @property
    def not_held(self) -> Sequence[str]: ...  # what an exhibit cites and the case does not hold, with why


Planner = Callable[[CaseFile], ExhibitPlan]
SessionPlanner = Callable[[Session], Planner]  # the planner of a request's or a job's session
