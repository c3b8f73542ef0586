"""The clause vocabulary of ``lexicon.toml``, compiled once into regular expressions.

Phrasing knowledge lives in the TOML file so that a new phrasing is one line there; this
module only turns its lists into anchored, longest-first patterns.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from opencc import OpenCC

from loaders.model import Role
from ontology.errors import SetupError

LEXICON_PATH = Path(__file__).with_name("lexicon.toml")

#: Role of each label / suffix group in the TOML ("none" = no explicit role).
_ROLE_OF: dict[str, Role | None] = {"lead": "lead", "support": "support", "none": None}


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True))


@dataclass(frozen=True)
class Lexicon:
    """Compiled clause vocabulary (see ``lexicon.toml`` for every entry and example)."""

    label: re.Pattern[str]  # a label and its colon; group "word"
    label_kind: dict[str, str]  # label word -> lead | support | none | leaders | deadline
    suffix: re.Pattern[str]  # a role word at the end of a group
    suffix_role: dict[str, Role | None]
    trailing: re.Pattern[str]  # 等-forms at the end of a list
    infix: re.Pattern[str]  # 会同
    anonymous: frozenset[str]
    marker: re.Pattern[str]  # (牵头) right after a name
    marker_role: dict[str, Role]
    leadin: re.Pattern[str]
    always: str  # characters that always separate names
    conditional: tuple[re.Pattern[str], ...]  # in order of preference
    any_conditional: re.Pattern[str]
    rule: re.Pattern[str]
    rule_word: str  # every rule names it (牵头): a cheap test before the pattern
    rule_word_written: tuple[str, ...]  # 牵头 and 牽頭: the test on unfolded text
    rule_leadin: re.Pattern[str]  # 各项任务中， before a rule: part of its sentence
    note: re.Pattern[str]
    deadline: re.Pattern[str]
    deadline_marks: re.Pattern[str]
    prose: re.Pattern[str]
    person: re.Pattern[str]  # 张三副县长: a person named in a clause
    ending: re.Pattern[str]
    names: frozenset[str]
    generic: frozenset[str]
    collective: re.Pattern[str]
    role_word: re.Pattern[str]  # any role word or label: makes a fragment clause-like


def _read() -> dict[str, Any]:
    try:
        return tomllib.loads(LEXICON_PATH.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SetupError(f"{LEXICON_PATH}: cannot read the clause lexicon: {exc}") from None


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    """The compiled lexicon (read once per process)."""
    data = _read()
    labels: dict[str, list[str]] = data["labels"]
    label_kind = {w: kind for kind, words in labels.items() for w in words}
    suffixes: dict[str, list[str]] = data["suffixes"]
    suffix_role = {w: _ROLE_OF[kind] for kind, words in suffixes.items() for w in words}
    markers: dict[str, list[str]] = data["markers"]
    marker_role: dict[str, Role] = {w: "lead" for w in markers["lead"]}
    marker_role.update({w: "support" for w in markers["support"]})
    all_roles = [*label_kind, *suffix_role, *data["infix"]["lead_support"]]
    return Lexicon(
        label=re.compile(rf"(?P<word>{_alternation(list(label_kind))})\s*:\s*"),
        label_kind=label_kind,
        suffix=re.compile(rf"(?:{_alternation(list(suffix_role))})$"),
        suffix_role=suffix_role,
        trailing=re.compile(rf"(?:{_alternation(data['trailing']['words'])})$"),
        infix=re.compile(_alternation(data["infix"]["lead_support"])),
        anonymous=frozenset(data["infix"]["anonymous"]),
        marker=re.compile(
            rf"[(\[〔【<〈]\s*(?P<word>{_alternation(list(marker_role))})\s*[)\]〕】>〉]$"
        ),
        marker_role=marker_role,
        leadin=re.compile(rf"^(?:{_alternation(data['leadins']['words'])})"),
        always="".join(data["connectors"]["always"]),
        conditional=tuple(re.compile(re.escape(w)) for w in data["connectors"]["conditional"]),
        any_conditional=re.compile(_alternation(data["connectors"]["conditional"])),
        rule=re.compile("|".join(f"(?:{p})" for p in data["rules"]["patterns"])),
        rule_word=data["rules"]["word"],
        rule_word_written=(data["rules"]["word"], OpenCC("s2t").convert(data["rules"]["word"])),
        rule_leadin=re.compile(data["rules"]["leadin"]),
        note=re.compile(_alternation(data["notes"]["triggers"])),
        deadline=re.compile("|".join(f"(?:{p})" for p in data["deadlines"]["patterns"])),
        deadline_marks=re.compile(_alternation(data["deadlines"]["must_contain"])),
        prose=re.compile(_alternation(data["prose"]["words"])),
        person=re.compile(
            rf"[\u4e00-\u9fff]{{2,3}}(?:{_alternation(data['people']['qualifiers'])})?"
            rf"(?:{_alternation(data['people']['titles'])})"
        ),
        ending=re.compile(rf"(?:{_alternation(data['units']['endings'])})$"),
        names=frozenset(data["units"]["names"]),
        generic=frozenset(data["units"]["generic"]),
        collective=re.compile("|".join(f"(?:{p})" for p in data["units"]["collective"])),
        role_word=re.compile(_alternation(all_roles)),
    )
