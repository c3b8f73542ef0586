"""Load the Turtle files of this package (ontology, SHACL shapes, SKOS vocabularies).

The files spell IRIs relative to ``{base}/`` so one file serves every deployment; they are
parsed here, and only here, with ``publicID=iris.public_id``. SHACL ``sh:namespace`` values are
``xsd:anyURI`` *literals*, which Turtle never resolves, so relative ones are resolved here too.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urljoin

from rdflib import Graph, Literal
from rdflib.namespace import XSD

from ontology.errors import SetupError
from ontology.iris import SH, Iris

ONTOLOGY_DIR = Path(__file__).resolve().parent
ONTOLOGY_FILE = ONTOLOGY_DIR / "policykg.ttl"
SHAPES_FILE = ONTOLOGY_DIR / "shapes.ttl"
VOCAB_DIR = ONTOLOGY_DIR / "vocab"


def load_turtle(path: Path, iris: Iris) -> Graph:
    """Parse one Turtle file with relative IRIs resolved under ``iris.public_id``."""
    if not path.is_file():
        raise SetupError(f"{path}: Turtle file is missing (reinstall policykg)")
    graph = Graph()
    try:
        graph.parse(path, format="turtle", publicID=iris.public_id)
    except (SyntaxError, ValueError) as exc:  # rdflib's BadSyntax is a SyntaxError
        raise SetupError(f"{path}: invalid Turtle: {exc}") from None
    for prefix, namespace in iris.prefixes.items():
        graph.bind(prefix, namespace, override=True)
    return graph


def ontology_graph(iris: Iris) -> Graph:
    """The OWL ontology (``policykg.ttl``) for this deployment's base."""
    return load_turtle(ONTOLOGY_FILE, iris)


def shapes_graph(iris: Iris) -> Graph:
    """The SHACL shapes (``shapes.ttl``), with relative ``sh:namespace`` literals resolved."""
    graph = load_turtle(SHAPES_FILE, iris)
    for subject, value in list(graph.subject_objects(SH.namespace)):
        resolved = urljoin(iris.public_id, str(value))
        if str(value).endswith("#") and not resolved.endswith("#"):
            resolved += "#"  # urljoin drops an empty fragment; a namespace needs it
        if resolved != str(value):
            graph.remove((subject, SH.namespace, value))
            graph.add((subject, SH.namespace, Literal(resolved, datatype=XSD.anyURI)))
    return graph


def vocabulary_files() -> dict[str, Path]:
    """The SKOS vocabularies present (``vocab/{name}.ttl``), by name, sorted."""
    if not VOCAB_DIR.is_dir():
        return {}
    return {path.stem: path for path in sorted(VOCAB_DIR.glob("*.ttl"))}


def vocabulary_graph(name: str, iris: Iris) -> Graph | None:
    """One vocabulary by name (``agencies``, ``target_groups``), or None when not present."""
    path = vocabulary_files().get(name)
    return None if path is None else load_turtle(path, iris)
