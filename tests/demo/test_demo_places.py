"""The demo's own data says what the documents say (issue 10 §2): a plan signed at the visit states
its place as agreements do, never an address cut at a number of characters ("上海市徐汇区漕溪北路159号
华府名苑18", "31 Clinton St, Brook"); a US exhibit's scan shows an SSN or account number by as many
last digits as the forum's filings do, the affidavit's and the agreement's ("ending in 528" beside
"ends in 0528" and "account ending in 9871")."""

from types import SimpleNamespace

import pytest

from service.demo.evidence import _last
from service.demo.history import signing_place


@pytest.mark.parametrize(("address", "place"), [
    ("上海市徐汇区漕溪北路159号华府名苑18栋501室", "上海市徐汇区"),
    ("广东省深圳市南山区南海大道93号金色港湾11栋1504室", "广东省深圳市南山区"),
    ("北京市朝阳区劲松路287号新城国际15栋902室", "北京市朝阳区"),
    ("31 Clinton St, Brooklyn, NY 11201", "Brooklyn, NY"),
    ("880 S Figueroa St Apt 12, Los Angeles, CA 90017", "Los Angeles, CA"),
    ("走访现场", "走访现场"),  # no district to name: the place whole
])
def test_a_plan_signed_at_the_visit_states_its_district_or_city(address, place):
    assert signing_place(address) == place


def _case(state: str) -> SimpleNamespace:
    return SimpleNamespace(case=SimpleNamespace(profile="US", us_state=state))


@pytest.mark.parametrize(("state", "tail"), [("NY", "0528"), ("IL", "0528"), ("CA", "0528"), ("TX", "528")])
def test_a_scan_shows_the_digits_the_forums_filings_show(state, tail):
    # US-13's four (New York: 22 NYCRR 208.4(b)), Tex. R. Civ. P. 21c's three: what the affidavit prints
    assert _last(_case(state), "123-45-0528") == f"ending in {tail}"  # type: ignore[arg-type]
    assert _last(_case(state), "") == "not stated"  # type: ignore[arg-type]
