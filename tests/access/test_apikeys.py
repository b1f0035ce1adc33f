"""API keys through the API: administrators only; the key is shown once; revoked at once."""

from tests.conftest import auth


def test_an_admin_creates_lists_and_revokes_keys(client, keys):
    made = client.post("/v1/apikeys", json={"role": "law_firm", "firm": "TFIRM", "label": "partner"},
                       headers=auth(keys["admin"]))
    assert made.status_code == 201, made.text
    body = made.json()
    assert body["firm"] == "TFIRM" and body["key"].startswith(body["prefix"] + ".")
    assert client.get("/v1/cases", headers=auth(body["key"])).status_code == 200  # the new key works
    first = client.get("/v1/apikeys?limit=2", headers=auth(keys["admin"])).json()
    rest = client.get(f"/v1/apikeys?limit=200&cursor={first['next_cursor']}", headers=auth(keys["admin"])).json()
    listed = first["items"] + rest["items"]
    assert len({k["id"] for k in listed}) == len(listed) >= 5 and all("key" not in k for k in listed)
    assert {k["firm"] for k in listed if k["role"] == "law_firm"} == {"TFIRM"}
    gone = client.delete(f"/v1/apikeys/{body['id']}", headers=auth(keys["admin"]))
    assert gone.status_code == 200 and gone.json()["revoked_at"]
    assert client.get("/v1/cases", headers=auth(body["key"])).status_code == 401


def test_only_admins_and_fields_are_named(client, keys):
    for role in ("legal_staff", "collector", "law_firm"):
        assert client.get("/v1/apikeys", headers=auth(keys[role])).status_code == 403
    bad = client.post("/v1/apikeys", json={"role": "law_firm", "firm": "NOPE"}, headers=auth(keys["admin"]))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "firm"
    missing = client.post("/v1/apikeys", json={"role": "law_firm"}, headers=auth(keys["admin"]))
    assert missing.status_code == 422 and missing.json()["errors"][0]["field"] == "firm"
    own = client.get("/v1/apikeys?limit=200", headers=auth(keys["admin"])).json()["items"]
    admin_id = next(k["id"] for k in own if keys["admin"].startswith(k["prefix"] + "."))
    assert client.delete(f"/v1/apikeys/{admin_id}", headers=auth(keys["admin"])).status_code == 409
