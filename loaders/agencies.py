"""Agency names as written → registry entries (or derived ids for unknown agencies).

``市人社局`` in a 济南市 document is the registry's 济南市人力资源和社会保障局; an agency the
registry does not know is kept (registered=False) with its 市 prefix expanded, never dropped.
"""

from __future__ import annotations

import re
from functools import lru_cache

from loaders.ids import city_slug, sha1_10
from ontology.registry import AgencyEntry, agencies

_KINDS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("central_bank_branch", re.compile(r"人民银行|人行")),
    ("vertical_agency", re.compile(r"税务局|海关|调查队|金融监管|国家金融监督|邮政管理局|气象局")),
    (
        "party_organ",
        re.compile(r"^中共|党委|党组|(?:市|区|县|省)委[\u4e00-\u9fff]*(?:部|办|室)$|政法委|编办"),
    ),
    (
        "peoples_organisation",
        re.compile(
            r"总工会|共青团|团[市区县省]委|妇联|妇女联合会|残联|残疾人联合会|科协|侨联|文联|红十字会"
        ),
    ),
    ("federation", re.compile(r"工商联|工商业联合会|联合会|商会|协会")),
    (
        "district_government",
        re.compile(r"(?:区|县|市、区|区县|县区|乡镇|街道)[)]?(?:人民)?政府$|^各.*政府$"),
    ),
    ("government", re.compile(r"(?:人民)?政府$")),
    ("government_department", re.compile(r"(?:局|委|委员会|厅|办公室|办|中心|署|部|管委会)$")),
    ("enterprise", re.compile(r"(?:银行|公司|集团)$")),
)


@lru_cache(maxsize=16384)
def infer_kind(name: str) -> str:
    """A best-effort kind for an agency the registry does not know (cached: pure)."""
    for kind, pattern in _KINDS:
        if pattern.search(name):
            return kind
    return "other"


def expand(name: str, jurisdiction: str | None) -> str:
    """市人社局 → 济南市人社局 (a leading level word means the document's own jurisdiction)."""
    if not jurisdiction or name.startswith(jurisdiction) or name.startswith("市场"):
        return name
    level = jurisdiction[-1]
    if name.startswith(level) and len(name) > 1:
        return jurisdiction + name[1:]
    return name


@lru_cache(maxsize=1)
def _index() -> tuple[dict[tuple[str | None, str], AgencyEntry], dict[str, AgencyEntry]]:
    local: dict[tuple[str | None, str], AgencyEntry] = {}
    full: dict[str, AgencyEntry] = {}
    for entry in agencies():
        full[entry.name] = entry
        for label in (entry.name, *entry.alt_labels):
            local[(entry.jurisdiction, label)] = entry
            local[(entry.jurisdiction, expand(label, entry.jurisdiction))] = entry
    return local, full


@lru_cache(maxsize=16384)
def lookup(name: str, jurisdiction: str | None) -> AgencyEntry | None:
    """The registry entry for a name as written in a document of ``jurisdiction`` (cached)."""
    local, full = _index()
    return (
        local.get((jurisdiction, name))
        or local.get((jurisdiction, expand(name, jurisdiction)))
        or full.get(expand(name, jurisdiction))
    )


@lru_cache(maxsize=16384)
def unregistered_id(canonical: str, jurisdiction: str | None) -> str:
    return f"{city_slug(jurisdiction) or 'cn'}-u-{sha1_10(canonical)}"
