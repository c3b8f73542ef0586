"""Roles of a clause's units from what it states and the document's lead rule.

- nothing stated, no rule: one unit ``sole``, several ``shared``;
- a lead rule in force (列第一位者为牵头单位，下同): the first unit ``lead``, the others
  ``support``, except when the first is a collective (各有关部门和单位 …: all ``shared``);
  one unit stays ``sole``;
- stated roles (牵头单位：, A牵头，B配合, A会同B, A（牵头）): as stated, also under a lead
  rule (A、B牵头负责 → two leads: the clause says more than the rule); unstated units
  support a stated lead, or lead beside stated supports.

>>> resolve([None, None], [False, False], rule=False)
['shared', 'shared']
>>> resolve([None, None], [False, False], rule=True)
['lead', 'support']
>>> resolve(["lead", "lead"], [False, False], rule=False)
['lead', 'lead']
"""

from __future__ import annotations

from loaders.model import Role


def resolve(stated: list[Role | None], collective: list[bool], *, rule: bool) -> list[Role]:
    """Final roles, in order, for units with these stated roles."""
    n = len(stated)
    if n == 0:
        return []
    if not any(stated):
        if n == 1:
            return ["sole"]
        if rule and not collective[0]:
            support: list[Role] = ["support"] * (n - 1)
            return ["lead", *support]
        return ["shared"] * n
    fill: Role = "support" if "lead" in stated else "lead"
    return [r or fill for r in stated]
