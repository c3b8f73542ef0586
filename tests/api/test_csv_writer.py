"""REST CSV cells: lists joined, booleans spelled, formulas defused, CRLF rows."""

from __future__ import annotations

from api.csv import to_csv


def test_rest_csv_cells() -> None:
    rows = [
        {"name": '=HYPERLINK("http://x")', "tags": ["a", "b"], "ok": True, "n": None},
        {"name": "市人社局", "tags": (), "ok": False, "n": 3},
    ]
    assert to_csv(rows, ("name", "tags", "ok", "n")) == (
        'name,tags,ok,n\r\n"\'=HYPERLINK(""http://x"")",a; b,true,\r\n市人社局,,false,3\r\n'
    )
