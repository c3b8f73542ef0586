"""Document ids (issue 10 point 7): what the id is made of, and what tells two documents
with the same id apart (loaders.ids.distinct_id, used by graph/identity.py)."""

from __future__ import annotations

from datetime import date

from loaders import extract_bytes
from loaders.ids import distinct_id, document_id, sha1_10
from tests.paths import ROOT

JINAN = ROOT / "data" / "jinan-2025-5.txt"


def test_existing_ids_stay() -> None:
    assert document_id("济政发〔2025〕5号", "济南市", "t") == "jinan-2025-5"
    assert document_id("济政办发〔2024〕3号", "济南市", "t") == "jinan-jzbf-2024-3"
    assert document_id(None, "潍坊市", "潍坊市促进高校毕业生就业十条措施") == (
        f"weifang-{sha1_10('潍坊市促进高校毕业生就业十条措施')}"
    )


def test_five_digit_numbers_and_other_brackets() -> None:
    assert document_id("济政发〔2025〕10234号", "济南市", "t") == "jinan-2025-10234"
    assert document_id("济政发（2025）12号", "济南市", "t") == "jinan-2025-12"
    assert document_id("济政发［2025］12号", "济南市", "t") == "jinan-2025-12"


def test_a_five_digit_number_is_read_from_the_text() -> None:
    text = JINAN.read_text(encoding="utf-8").replace("济政发〔2025〕5号", "济政发〔2025〕10234号")
    extraction = extract_bytes(text.encode("utf-8"), "five-digits.txt", "text/plain")
    assert extraction.document.doc_number == "济政发〔2025〕10234号"
    assert extraction.document.id == "jinan-2025-10234"


def _distinct(**kw: object) -> str | None:
    args: dict[str, object] = {
        "plain_id": "weifang-0123456789",
        "doc_number": None,
        "written_date": None,
        "text_digest": "abcdef0123456789",
        "held_number": None,
        "held_date": None,
        "same_source": False,
        "same_content": False,
    }
    args.update(kw)
    return distinct_id(**args)  # type: ignore[arg-type]


def test_same_number_is_the_same_document_whatever_the_brackets() -> None:
    assert _distinct(doc_number="济政发〔2025〕5号", held_number="济政发[2025]5号") is None


def test_different_numbers_behind_one_id_are_told_apart() -> None:
    # 济政办发 and 嘉政办发 without a city both give doc-jzbf-2024-3
    other = _distinct(
        plain_id="doc-jzbf-2024-3",
        doc_number="嘉政办发〔2024〕3号",
        held_number="济政办发〔2024〕3号",
    )
    assert other == f"doc-jzbf-2024-3-{sha1_10('嘉政办发20243号')[:6]}"


def test_same_title_told_apart_by_date_then_by_content() -> None:
    assert _distinct(written_date=date(2023, 3, 1), held_date=date(2025, 5, 10)) == (
        "weifang-0123456789-20230301"
    )
    assert _distinct(written_date=date(2025, 5, 10), held_date=date(2025, 5, 10)) is None
    assert _distinct(written_date=date(2025, 5, 10)) == "weifang-0123456789-abcdef01"
    assert _distinct(same_source=True) is None  # the same file loaded again
    assert _distinct(same_content=True) is None  # the same text under another name
