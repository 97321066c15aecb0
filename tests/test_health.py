def test_health_reports_agreements_and_triples(client):
    body = client.get("/health").json()
    assert body["status"] == "ok"
    assert body["agreements"] == 5
    assert body["triples"] > 10000


def test_unknown_path_is_a_json_404_in_swedish(client):
    response = client.get("/finns-inte")
    assert response.status_code == 404
    assert "finns inte" in response.json()["detail"]
