"""A lender's profile, for administrators: read it, and correct its NMLS ID, state licences and
repayment app."""

from typing import Annotated

from fastapi import APIRouter, Body, Path

from service.access.deps import Admin
from service.cases import lenders
from service.cases.examples import LENDER_LICENCES_EXAMPLE
from service.cases.schemas import LenderLicencesPatch, LenderOut
from service.core.deps import DbSession

router = APIRouter(prefix="/v1/lenders", tags=["lenders"])
Code = Annotated[str, Path(min_length=2, max_length=12, pattern=r"^[A-Z0-9]+$", description="the lender's code")]


@router.get("/{code}", response_model=LenderOut)
def get_lender(code: Code, session: DbSession, _: Admin) -> LenderOut:
    """The lender's profile: a US lender's NMLS ID and the licences it holds, state by state."""
    return LenderOut.model_validate(lenders.get_lender(session, code))


@router.patch("/{code}", response_model=LenderOut)
def update_lender_licences(code: Code, session: DbSession, principal: Admin,
                           data: Annotated[LenderLicencesPatch, Body(openapi_examples=LENDER_LICENCES_EXAMPLE)]
                           ) -> LenderOut:
    """Correct the NMLS ID and the state licences given (the licences given replace those recorded),
    and the app borrowers repay in (`app_name`; null or empty: the lender has none, and no notice
    names one)."""
    return LenderOut.model_validate(lenders.update_licences(session, code, data, actor=principal.actor))
