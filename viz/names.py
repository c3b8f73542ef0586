"""How a view names an agency: as the documents write it, or by its usual abbreviation.

Canonical names are long (济南市人力资源和社会保障局) and were cut to twelve characters on the
canvas. A researcher reads the name the documents use (市人力资源社会保障局) or the usual short
form the agency vocabulary lists (市人社局, the shortest ``skos:altLabel`` of a registered
agency); the full canonical name, the function and the level go into the tooltip.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from functools import lru_cache
from urllib.parse import unquote

import networkx as nx
from rdflib import SKOS

from ontology.files import vocabulary_graph
from ontology.iris import Iris
from ontology.levels import level_labels

#: A name as written this long or longer gives way to a shorter usual abbreviation.
ABBREVIATE_FROM = 8
#: Longest label drawn on the canvas (a longer written name is cut; the tooltip has it all).
LABEL_LIMIT = 14
_AGENCY_PATH = "/id/agency/"


def agency_id(iri: str) -> str:
    """The local id of an agency IRI (whatever the base it was minted under)."""
    return unquote(iri.rsplit(_AGENCY_PATH, 1)[-1])


@lru_cache(maxsize=1)
def abbreviations() -> dict[str, str]:
    """Agency id → its shortest alternative label in the agency vocabulary (ties: first in
    code-point order), read once; empty when the vocabulary is absent."""
    iris = Iris("http://localhost:8000")  # any base: the answer is keyed by local id
    graph = vocabulary_graph("agencies", iris)
    if graph is None:
        return {}
    prefix = str(iris.agency(""))
    found: dict[str, str] = {}
    for subject, alt in graph.subject_objects(SKOS.altLabel):
        if not str(subject).startswith(prefix):
            continue
        key, text = unquote(str(subject)[len(prefix) :]), str(alt)
        if key not in found or (len(text), text) < (len(found[key]), found[key]):
            found[key] = text
    return found


def written_names(
    graph: nx.MultiDiGraph, agency: str, measures: Collection[str] | None = None
) -> Counter[str]:
    """How often each written form of ``agency`` occurs in the (selected) measures."""
    names: Counter[str] = Counter()
    for _a, m, d in graph.out_edges(agency, data=True):
        if d.get("type") == "responsible_for" and (measures is None or m in measures):
            written = d.get("written")
            if written:
                names[str(written)] += 1
    return names


def usual_written(names: Counter[str], fallback: str) -> str:
    """The form written most often (ties: the shorter, then code-point order)."""
    if not names:
        return fallback
    return min(names, key=lambda n: (-names[n], len(n), n))


def agency_label(
    graph: nx.MultiDiGraph, agency: str, measures: Collection[str] | None = None
) -> str:
    """The canvas label: the usual written name, or the usual abbreviation when that name is
    long and the vocabulary knows a shorter one."""
    canonical = str(graph.nodes[agency].get("label", ""))
    label = usual_written(written_names(graph, agency, measures), canonical)
    short = abbreviations().get(agency_id(agency))
    if len(label) >= ABBREVIATE_FROM and short is not None and len(short) < len(label):
        label = short
    return label if len(label) <= LABEL_LIMIT else label[: LABEL_LIMIT - 1] + "…"


def agency_head(
    graph: nx.MultiDiGraph, agency: str, measures: Collection[str] | None = None
) -> str:
    """The first lines of an agency's tooltip: full name, function and level, written forms."""
    d = graph.nodes[agency]
    canonical = str(d.get("label", ""))
    function = d.get("function") or "未识别 unknown"
    level = d.get("level")
    zh = level_labels().get(str(level), str(level))
    level_text = f"{zh} {level}" if level else "未识别 unknown"
    lines = [canonical, f"职能 function：{function}", f"层级 level：{level_text}"]
    forms = [n for n in sorted(written_names(graph, agency, measures)) if n != canonical]
    if forms:
        lines.append("文中写作 as written：" + "、".join(forms))
    return "\n".join(lines)
