"""The lead-matrix page and the compare page in REAL headless Chromium: the heat map loads
as an image under the page's CSP, the chain page's compare link opens the comparison, no
console error, no CSP violation, no request off the machine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.app import create_app
from graph.rdf.store import RdfStore
from graph.settings import Settings
from loaders import extract_file
from ontology.iris import Iris
from tests.api.test_query_editor_browser import sealed_page
from tests.live_server import serving
from tests.paths import ROOT

pytestmark = pytest.mark.browser
FILES = [
    *sorted((ROOT / "tests" / "fixtures" / "chain").glob("*.txt")),
    ROOT / "tests" / "fixtures" / "compare" / "city-shizhengfa-2024-8.txt",
]


@pytest.fixture(scope="module")
def service(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    tmp = tmp_path_factory.mktemp("compare-browser")
    settings = Settings(data_dir=tmp, base_iri="http://localhost:8000", neo4j_uri=None)
    store = RdfStore.open(tmp / "oxigraph", Iris(settings.normalised_base()))
    store.ensure_vocabularies()
    for path in FILES:
        store.load_document(extract_file(path))
    with serving(create_app(settings, rdf_store=store)) as base:
        yield base
    store.close()


def test_heat_map_shows_on_its_page(service: str) -> None:
    with sealed_page(service) as sealed:
        page = sealed.page
        page.goto(f"{service}/functions/lead-matrix")
        image = page.locator("img#lead-matrix")
        image.wait_for()
        page.wait_for_function("() => document.getElementById('lead-matrix').complete")
        size = page.evaluate(
            "() => { const i = document.getElementById('lead-matrix');"
            " return [i.naturalWidth, i.naturalHeight]; }"
        )
        assert size[0] > 300 and size[1] > 150  # the SVG decoded as an image
        rows = page.locator("#functions tbody tr td:first-child").all_inner_texts()
        assert rows == ["人力资源社会保障", "财政", "教育", "退役军人事务"]
        assert sealed.errors == [] and sealed.csp_violations() == [] and sealed.outside == []


def test_chain_page_compare_link(service: str) -> None:
    with sealed_page(service) as sealed:
        page = sealed.page
        page.goto(f"{service}/documents/dongyue-yzf-2023-15/chain")
        page.locator("#compare-levels a").nth(2).click()  # provincial → 石政发〔2024〕8号
        page.wait_for_url("**/compare?a=dongyue-yzf-2023-15&b=shimen-2024-8")
        pairs = page.locator("#pairs tbody tr").count()
        assert pairs == 2
        assert "扶持退役军人创业" in page.locator("#only-b").inner_text()
        assert sealed.errors == [] and sealed.csp_violations() == [] and sealed.outside == []
