"""Every IRI policykg mints or uses, built from one configurable base.

Instance IRIs are ``{base}/id/...``; the ontology namespace is ``{base}/ontology#`` so the
service can serve the ontology at its own namespace. The Turtle files in this package use
IRIs relative to ``{base}/`` and are parsed with ``publicID=f"{base}/"``.

Nothing outside this module spells an IRI by hand.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from rdflib import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, Namespace, URIRef
from rdflib.namespace import ClosedNamespace

ORG = Namespace("http://www.w3.org/ns/org#")
ELI = Namespace("http://data.europa.eu/eli/ontology#")
SH = Namespace("http://www.w3.org/ns/shacl#")

#: Local names of the policykg ontology (ontology/policykg.ttl declares each of them).
TERMS: tuple[str, ...] = (
    # classes
    "PolicyDocument",
    "Chapter",
    "Measure",
    "Responsibility",
    "Agency",
    "TargetGroup",
    "Program",
    "Mention",
    "Role",
    "AgencyKind",
    "ProgramType",
    "GovernmentLevel",
    "CitedDocument",
    # roles (skos:Concept individuals of pkg:Role)
    "lead",
    "support",
    "shared",
    "sole",
    # levels of government (skos:Concept individuals of pkg:GovernmentLevel)
    "national",
    "provincial",
    "city",
    "county",
    "district",
    # document metadata
    "docNumber",
    "issuer",
    "publisher",
    "indexNumber",
    "writtenDate",
    "publishedDate",
    "effectiveDate",
    "addressee",
    "contactUnit",
    "contactPhone",
    "measuresTitle",
    "jurisdiction",
    "sourceName",
    # structure
    "ordinal",
    "text",
    "inChapter",
    "inDocument",
    "spanStart",
    "spanEnd",
    # responsibility (qualified relation measure -> agency)
    "responsibility",
    "agency",
    "role",
    "rank",
    "asWritten",
    # measures: what the clauses say besides the agencies
    "deadline",
    "leader",
    "noAgencies",
    "clauseNote",
    # agencies
    "agencyKind",
    "registered",
    "function",
    "level",
    # groups and programs
    "targets",
    "uses",
    "programType",
    "mention",
    "about",
    # citations between documents (eli:cites, eli:applies, eli:repeals and this one)
    "replaces",
    # similar measures of other documents (derived; graph/similar_index.py)
    "Similarity",
    "similarTo",
    "similarity",
    "similarMeasure",
    "similarityScore",
    # provenance of a named graph (sha256 of its canonical triples; RdfStore skips reloads)
    "contentHash",
)

PREFIXES: dict[str, str] = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "xsd": str(XSD),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "eli": str(ELI),
    "sh": str(SH),
}


def _seg(value: str) -> str:
    """Percent-encode one path segment (ids are ASCII slugs; this guards the rest)."""
    return quote(value, safe="-._~")


@dataclass(frozen=True)
class Iris:
    """IRI factory for one deployment. ``Iris(settings.normalised_base())``."""

    base: str
    pkg: ClosedNamespace = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "base", self.base.rstrip("/"))
        object.__setattr__(self, "pkg", ClosedNamespace(self.ontology_ns, list(TERMS)))

    # namespaces -----------------------------------------------------------------
    @property
    def ontology_ns(self) -> str:
        return f"{self.base}/ontology#"

    @property
    def public_id(self) -> str:
        """The base against which the relative IRIs of the Turtle files resolve."""
        return f"{self.base}/"

    @property
    def prefixes(self) -> dict[str, str]:
        return {"pkg": self.ontology_ns, "id": f"{self.base}/id/", **PREFIXES}

    def sparql_prefixes(self) -> str:
        return "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in self.prefixes.items())

    # instances ------------------------------------------------------------------
    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/document/{_seg(doc_id)}")

    def chapter(self, doc_id: str, ordinal: int) -> URIRef:
        return URIRef(f"{self.document(doc_id)}/chapter/{ordinal}")

    def measure(self, doc_id: str, ordinal: int) -> URIRef:
        return URIRef(f"{self.document(doc_id)}/measure/{ordinal}")

    def responsibility(self, doc_id: str, ordinal: int, rank: int) -> URIRef:
        return URIRef(f"{self.measure(doc_id, ordinal)}/responsibility/{rank}")

    def mention(self, doc_id: str, ordinal: int, kind: str, index: int) -> URIRef:
        """A located mention of a target group (kind="group") or program (kind="program")."""
        return URIRef(f"{self.measure(doc_id, ordinal)}/{_seg(kind)}-mention/{index}")

    def agency(self, agency_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/agency/{_seg(agency_id)}")

    def target_group(self, group_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/group/{_seg(group_id)}")

    def program(self, program_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/program/{_seg(program_id)}")

    def agency_kind(self, kind: str) -> URIRef:
        return URIRef(f"{self.base}/id/agency-kind/{_seg(kind)}")

    def program_type(self, kind: str) -> URIRef:
        return URIRef(f"{self.base}/id/program-type/{_seg(kind)}")

    def role(self, role: str) -> URIRef:
        return self.pkg[role]

    def level(self, level: str) -> URIRef:
        return self.pkg[level]

    def function(self, function_id: str) -> URIRef:
        """A government function of ontology/vocab/functions.ttl (人力资源社会保障 ...)."""
        return URIRef(f"{self.base}/id/function/{_seg(function_id)}")

    def cited(self, key: str) -> URIRef:
        """A document as other documents cite it, keyed by its number or title (stub)."""
        return URIRef(f"{self.base}/id/cited/{_seg(key)}")

    # named graphs ---------------------------------------------------------------
    def document_graph(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}/id/graph/document/{_seg(doc_id)}")

    @property
    def ontology_graph(self) -> URIRef:
        return URIRef(f"{self.base}/ontology")

    def similar_graph(self, doc_id: str) -> URIRef:
        """The derived similar-measure links of the measures of one document."""
        return URIRef(f"{self.base}/id/graph/similar/{_seg(doc_id)}")

    def similarity(self, measure: str, other_doc: str, other_ordinal: int) -> URIRef:
        """The qualified similarity node of the link from ``measure`` (an IRI) to another."""
        return URIRef(f"{measure}/similar/{_seg(other_doc)}/{other_ordinal}")

    def vocabulary_graph(self, name: str) -> URIRef:
        return URIRef(f"{self.base}/id/graph/vocabulary/{_seg(name)}")

    def kind_of(self, iri: str) -> str | None:
        """Which kind of minted resource ``iri`` names (document, chapter, measure, agency,
        group, program, ...), or None; the inverse of the factories above."""
        prefix = f"{self.base}/id/"
        if not iri.startswith(prefix):
            return None
        parts = iri[len(prefix) :].split("/")
        if parts[0] == "document":
            if len(parts) == 2:
                return "document"
            if len(parts) == 4 and parts[2] in ("chapter", "measure"):
                return parts[2]
            if len(parts) == 6 and parts[4] == "responsibility":
                return "responsibility"
            return "mention" if len(parts) == 6 else None
        kinds = {"agency": "agency", "group": "group", "program": "program", "cited": "cited"}
        return kinds.get(parts[0]) if len(parts) == 2 else None

    def is_minted(self, iri: str) -> bool:
        return iri.startswith(f"{self.base}/id/") or iri.startswith(f"{self.base}/ontology")
