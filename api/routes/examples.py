"""Example SPARQL queries of the query page: questions policy researchers actually ask."""

from __future__ import annotations

EXAMPLES: tuple[dict[str, str], ...] = (
    {
        "id": "shared-measures",
        "zh": "哪些单位共同负责的措施最多？",
        "en": "Which pairs of agencies share the most measures?",
        "query": """SELECT ?agency1 ?agency2 (COUNT(DISTINCT ?m) AS ?shared) WHERE {
  ?m pkg:responsibility ?r1, ?r2 .
  ?r1 pkg:agency ?a1 . ?r2 pkg:agency ?a2 .
  FILTER(STR(?a1) < STR(?a2))
  { SELECT ?a1 (SAMPLE(STR(?l1)) AS ?agency1) WHERE { ?a1 a pkg:Agency ; rdfs:label ?l1 }
    GROUP BY ?a1 }
  { SELECT ?a2 (SAMPLE(STR(?l2)) AS ?agency2) WHERE { ?a2 a pkg:Agency ; rdfs:label ?l2 }
    GROUP BY ?a2 }
}
GROUP BY ?agency1 ?agency2
ORDER BY DESC(?shared) ?agency1 ?agency2
LIMIT 20""",
    },
    {
        "id": "agency-duties",
        "zh": "市人力资源和社会保障局负责哪些措施？（牵头/配合）",
        "en": "What is the human resources and social security bureau responsible for, "
        "and in which role?",
        "query": """SELECT DISTINCT ?document ?ordinal ?title ?role ?rank WHERE {
  ?agency a pkg:Agency ; rdfs:label ?name .
  FILTER(CONTAINS(STR(?name), "人力资源和社会保障局"))
  ?r pkg:agency ?agency ; pkg:role ?roleIri ; pkg:rank ?rank .
  BIND(STRAFTER(STR(?roleIri), "#") AS ?role)
  ?m pkg:responsibility ?r ; pkg:ordinal ?ordinal ; dcterms:title ?title ; pkg:inDocument ?d .
  OPTIONAL { ?d pkg:docNumber ?document }
}
ORDER BY ?document ?ordinal""",
    },
    {
        "id": "disabled-persons",
        "zh": "哪些措施面向残疾人？由哪些单位负责？",
        "en": "Which measures serve persons with disabilities, and which agencies are responsible?",
        "query": """SELECT ?ordinal ?title
       (GROUP_CONCAT(DISTINCT ?agencyName; separator="、") AS ?agencies)
WHERE {
  ?m pkg:targets/skos:broader* id:group\\/disabled-persons ;
     pkg:ordinal ?ordinal ; dcterms:title ?title ;
     pkg:responsibility ?r .
  ?r pkg:agency ?a . ?a rdfs:label ?l . BIND(STR(?l) AS ?agencyName)
}
GROUP BY ?ordinal ?title
ORDER BY ?ordinal""",
    },
    {
        "id": "workload",
        "zh": "各单位负责的措施数（按角色）",
        "en": "How many measures each agency is responsible for, by role",
        "query": """SELECT ?agency ?role (COUNT(DISTINCT ?m) AS ?measures) WHERE {
  ?m pkg:responsibility ?r . ?r pkg:agency ?a ; pkg:role ?roleIri .
  BIND(STRAFTER(STR(?roleIri), "#") AS ?role)
  { SELECT ?a (SAMPLE(STR(?l)) AS ?agency) WHERE { ?a a pkg:Agency ; rdfs:label ?l }
    GROUP BY ?a }
}
GROUP BY ?agency ?role
ORDER BY DESC(?measures) ?agency""",
    },
    {
        "id": "groups",
        "zh": "各类对象涉及的措施数",
        "en": "Target groups by number of measures",
        "query": """SELECT ?group (COUNT(DISTINCT ?m) AS ?measures) WHERE {
  ?m pkg:targets ?g . ?g rdfs:label ?l . BIND(STR(?l) AS ?group)
}
GROUP BY ?group
ORDER BY DESC(?measures) ?group""",
    },
)
