"""An agency's government function and level are part of its REST record (Jinan bundle)."""

from __future__ import annotations

from fastapi.testclient import TestClient


def test_registered_agency_has_its_function_and_level(client: TestClient) -> None:
    hrss = client.get("/api/agencies/jinan-hrss").json()
    assert (hrss["function"], hrss["level"]) == ("hrss", "city")
    bank = client.get("/api/agencies/pbc-shandong-business-dept").json()
    assert (bank["function"], bank["level"]) == ("central-bank", "provincial")
