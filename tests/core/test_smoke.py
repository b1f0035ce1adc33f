from tests.conftest import auth


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_list_cases(client, keys, case):
    r = client.get("/v1/cases", headers=auth(keys["collector"]))
    assert r.status_code == 200, r.text
    assert [i["ref"] for i in r.json()["items"]] == [case.ref]
