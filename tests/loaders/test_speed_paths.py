"""The fast paths of the loaders give exactly what the general code gives."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from loaders.model import Span
from loaders.normalise import _normalise_slow, normalise
from loaders.text_utils import _split_top_general, split_top

ALPHABET = " \n\t\u3000\u00a0\u2028，（）Ａａ１「」济南市人社局.a1\u200b\r"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=40))
def test_normalise_fast_path_equals_general_loop(text: str) -> None:
    fast, slow = normalise(text), _normalise_slow(text)
    assert fast.text == slow.text
    assert fast.origin == slow.origin


def test_normalise_fast_path_hand_checked() -> None:
    norm = normalise("  济南　 市\n 人社局（一） \n")
    assert norm.text == "济南 市\n人社局(一)\n"
    assert norm.origin == (2, 3, 4, 6, 7, 9, 10, 11, 12, 13, 14, 16, 17)


SPLIT_ALPHABET = "、,;。 (（)）〔〕[]【】《》市局委A"


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=SPLIT_ALPHABET, max_size=30), st.sampled_from(["、", "、,;", ";,。"]))
def test_split_top_fast_path_equals_general_loop(text: str, separators: str) -> None:
    assert split_top(text, separators, 7) == _split_top_general(text, separators, 7)


def test_split_top_hand_checked() -> None:
    assert split_top(" 市人社局、 市财政局 ,", "、,", 10) == [
        ("市人社局", 11, 15),
        ("市财政局", 17, 21),
    ]
    assert split_top("A(B、C)、D", "、") == [("A(B、C)", 0, 6), ("D", 7, 8)]


def test_spans_equal_validated_spans() -> None:
    norm = normalise("ab  c")
    assert norm.span(0, 4) == Span(start=0, end=5)
    assert norm.span(2, 2) == Span(start=2, end=2)
