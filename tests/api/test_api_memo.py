"""Corpus-wide tables kept per write generation: computed once, never served after a write."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.memo import GenerationMemo
from tests.api.test_upload import AUTH, JINAN, make_app, upload


def test_memo_computes_once_per_generation_and_keeps_a_few_keys() -> None:
    calls: list[str] = []

    def compute(key: str) -> str:
        calls.append(key)
        return f"{key}{len(calls)}"

    memo = GenerationMemo(entries=2)
    assert memo.get("a", 0, lambda: compute("a")) == "a1"
    assert memo.get("a", 0, lambda: compute("a")) == "a1"
    assert memo.get("a", 1, lambda: compute("a")) == "a2"  # a write happened
    assert memo.get("b", 1, lambda: compute("b")) == "b3"
    assert memo.get("c", 1, lambda: compute("c")) == "c4"  # "a" is dropped (2 entries)
    assert memo.get("b", 1, lambda: compute("b")) == "b3"
    assert memo.get("a", 1, lambda: compute("a")) == "a5"
    assert calls == ["a", "a", "b", "c", "a"]
    off = GenerationMemo(entries=0)
    assert [off.get("a", 0, lambda: compute("a")) for _ in range(2)] == ["a6", "a7"]


def hrss(client: object) -> tuple[int, int, int] | None:
    body = client.get("/api/agencies", params={"limit": 1000}).json()  # type: ignore[attr-defined]
    found = [
        (body["total"], a["measures"], a["lead"]) for a in body["items"] if a["id"] == "jinan-hrss"
    ]
    return found[0] if found else None


@pytest.mark.parametrize("cache_entries", [4096, 0])
def test_agency_list_follows_uploads_and_removals(tmp_path: Path, cache_entries: int) -> None:
    client, store = make_app(tmp_path, rest_cache_entries=cache_entries)
    with client:
        assert hrss(client) is None  # an empty store: not even the vocabularies yet
        assert upload(client, JINAN.read_bytes()).status_code == 201
        assert hrss(client) == (29, 19, 0)  # 29 units, all registered; 济南市人社局 in 19
        home = client.get("/")
        assert home.status_code == 200 and "济南市人力资源和社会保障局" in home.text
        assert client.delete("/api/documents/jinan-2025-5", headers=AUTH).status_code == 204
        assert hrss(client) == (29, 0, 0)  # registered: still listed, with no measures
    store.close()
