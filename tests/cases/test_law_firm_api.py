"""Partner law firms through the admin API: recorded with a postal code of their profile's form,
listed page by page, corrected field by field; each refusal names its field, each act audited."""

from sqlalchemy import select

from service.audit.models import AuditEvent
from service.cases.models import LawFirm
from tests.conftest import auth

CN_FIRM = {"code": "ZHLAW", "name": "北京中和律师事务所", "profile": "CN", "postal_code": "100004",
           "address": "北京市朝阳区建国门外大街1号国贸大厦A座20层", "lead_lawyer": "王律师"}


def _fields(answer) -> list[str]:  # type: ignore[no-untyped-def]
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    return [e["field"] for e in answer.json()["errors"]]


def test_an_admin_records_a_firm_and_the_trail_says_who(client, keys, db):
    made = client.post("/v1/law-firms", json=CN_FIRM, headers=auth(keys["admin"]))
    assert made.status_code == 201, made.text
    body = made.json()
    assert {k: body[k] for k in CN_FIRM} == CN_FIRM and body["lead_lawyer_bars"] == {}
    firm = db.get(LawFirm, body["id"])
    assert firm is not None and (firm.code, firm.postal_code, firm.profile) == ("ZHLAW", "100004", "CN")
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "law_firm.created")).one()
    assert event.actor.startswith("apikey:") and event.object_id == "ZHLAW"
    assert event.data["id"] == body["id"] and "王律师" not in str(event.data)
    us = {"code": "HCLAW", "name": "Harper & Cole LLP", "profile": "US", "postal_code": "60601-1234",
          "lead_lawyer_bars": {"IL": "6301234"}}
    assert client.post("/v1/law-firms", json=us, headers=auth(keys["admin"])).status_code == 201


def test_a_refused_firm_names_the_field_and_nothing_is_written(client, keys, db):
    admin = auth(keys["admin"])
    assert _fields(client.post("/v1/law-firms", json={**CN_FIRM, "postal_code": "10004"}, headers=admin)) == [
        "postal_code"]
    us_code = client.post("/v1/law-firms", json={**CN_FIRM, "profile": "US"}, headers=admin)  # 100004: not a ZIP
    assert _fields(us_code) == ["postal_code"] and "ZIP" in us_code.json()["detail"]
    assert _fields(client.post("/v1/law-firms", json={**CN_FIRM, "code": "zh law"}, headers=admin)) == ["code"]
    assert _fields(client.post("/v1/law-firms", json={**CN_FIRM, "name": ""}, headers=admin)) == ["name"]
    assert _fields(client.post("/v1/law-firms", json={**CN_FIRM, "code": "TFIRM"}, headers=admin)) == ["code"]
    assert db.scalars(select(LawFirm.code).where(LawFirm.code == "ZHLAW")).all() == []
    assert db.scalars(select(AuditEvent).where(AuditEvent.action.startswith("law_firm."))).all() == []


def test_only_admins_manage_firms(client, keys):
    for role in ("legal_staff", "collector", "law_firm"):
        headers = auth(keys[role])
        assert client.get("/v1/law-firms", headers=headers).status_code == 403
        assert client.post("/v1/law-firms", json=CN_FIRM, headers=headers).status_code == 403
        assert client.patch("/v1/law-firms/1", json={"phone": "1"}, headers=headers).status_code == 403
    assert client.get("/v1/law-firms").status_code == 401


def test_the_list_walks_every_firm_by_cursor(client, keys):
    admin = auth(keys["admin"])
    for n in range(3):
        made = client.post("/v1/law-firms", json={**CN_FIRM, "code": f"PAGE{n}"}, headers=admin)
        assert made.status_code == 201, made.text
    seen: list[str] = []
    url = "/v1/law-firms?limit=2"
    while url:
        page = client.get(url, headers=admin)
        assert page.status_code == 200, page.text
        body = page.json()
        assert len(body["items"]) <= 2
        seen += [f["code"] for f in body["items"]]
        url = f"/v1/law-firms?limit=2&cursor={body['next_cursor']}" if body["next_cursor"] else ""
    assert seen == ["TFIRM", "OFIRM", "PAGE0", "PAGE1", "PAGE2"]  # the fixture's two, then in the order recorded
    assert _fields(client.get("/v1/law-firms?cursor=nonsense", headers=admin)) == ["cursor"]


def test_a_patch_corrects_the_fields_given_and_checks_the_postal_code_against_the_profile(client, keys, db):
    admin = auth(keys["admin"])
    firm_id = client.post("/v1/law-firms", json=CN_FIRM, headers=admin).json()["id"]
    moved = client.patch(f"/v1/law-firms/{firm_id}", headers=admin,
                         json={"address": "上海市黄浦区中山东一路18号8楼", "postal_code": "200002"})
    assert moved.status_code == 200, moved.text
    assert (moved.json()["postal_code"], moved.json()["code"], moved.json()["name"]) == (
        "200002", "ZHLAW", CN_FIRM["name"])
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "law_firm.updated")).one()
    assert event.object_id == "ZHLAW" and event.data["fields"] == ["address", "postal_code"]
    assert _fields(client.patch(f"/v1/law-firms/{firm_id}", json={"profile": "US"}, headers=admin)) == [
        "postal_code"]  # 200002 is no ZIP code: the profile and the code change together
    to_us = client.patch(f"/v1/law-firms/{firm_id}", json={"profile": "US", "postal_code": "60601"}, headers=admin)
    assert to_us.status_code == 200 and to_us.json()["profile"] == "US"
    assert _fields(client.patch(f"/v1/law-firms/{firm_id}", json={"name": None}, headers=admin)) == ["name"]
    assert _fields(client.patch(f"/v1/law-firms/{firm_id}", json={"code": "OTHER"}, headers=admin)) == ["code"]
    assert _fields(client.patch("/v1/law-firms/2147483648", json={}, headers=admin)) == ["firm_id"]
    assert client.patch("/v1/law-firms/999999", json={"phone": "1"}, headers=admin).status_code == 404
    same = client.patch(f"/v1/law-firms/{firm_id}", json={"postal_code": "60601"}, headers=admin)
    assert same.status_code == 200  # nothing changed: no second event
    assert len(db.scalars(select(AuditEvent).where(AuditEvent.action == "law_firm.updated")).all()) == 2


def test_the_routes_are_in_openapi_with_examples_that_work(client, keys):
    paths = client.get("/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/v1/law-firms"]) and "patch" in paths["/v1/law-firms/{firm_id}"]
    post = paths["/v1/law-firms"]["post"]["requestBody"]["content"]["application/json"]["examples"]
    patch = paths["/v1/law-firms/{firm_id}"]["patch"]["requestBody"]["content"]["application/json"]["examples"]
    assert set(post) == {"cn_firm", "us_firm"} and set(patch) == {"moved"}
    made = [client.post("/v1/law-firms", json=e["value"], headers=auth(keys["admin"])) for e in post.values()]
    assert [m.status_code for m in made] == [201, 201], [m.text for m in made]
    moved = client.patch(f"/v1/law-firms/{made[0].json()['id']}", json=patch["moved"]["value"],
                         headers=auth(keys["admin"]))
    assert moved.status_code == 200, moved.text
