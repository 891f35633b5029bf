"""Which groups' results may be shown without exposing anyone. Pure Python, no Django.

The groups a viewer can ask for are the whole organization, each team *with its
sub-teams*, and the people without a team. These groups nest (any two are
either disjoint or one contains the other), which makes the subtraction rule
exact: from the published groups, the only sets anyone can compute are unions
of "residuals", a published group minus its largest published sub-groups. So a
plan is safe when

1. every published group has at least `threshold` respondents, and
2. every published group's residual is either empty or has at least
   `threshold` respondents (otherwise it could be read by subtraction).

Rule 2 is restored by hiding the next-smallest published sub-group
(complementary suppression) until the residual is large enough. Everything that
shows results (pages, API, CSV export, the analytics selectors) takes its
decisions from one `plan()`, so no combination of filters opens another door.

This is also why results are grouped by team only: a second, crossing
dimension (location) would break the nesting and make the subtraction check
combinatorial; see docs/architecture.md.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

ALL = "all"
NO_TEAM = "none"

BELOW_THRESHOLD = "below_threshold"
COMPLEMENTARY = "complementary"

GroupKey = int | str


@dataclass
class Group:
    key: GroupKey
    parent: GroupKey | None
    respondents: int = 0
    children: list[GroupKey] = field(default_factory=list)
    hidden_because: str | None = None

    @property
    def visible(self) -> bool:
        return self.hidden_because is None


@dataclass
class Plan:
    threshold: int
    groups: dict[GroupKey, Group]

    def visible(self, key: GroupKey) -> bool:
        group = self.groups.get(key)
        return group is not None and group.visible

    def keys_containing(self, team_id: int | None) -> list[GroupKey]:
        """Every group a respondent of this team counts in (their team, its parents, all)."""
        key: GroupKey | None = team_id if team_id in self.groups else NO_TEAM
        found = []
        while key is not None:
            found.append(key)
            key = self.groups[key].parent
        return found

    def descendants(self, key: GroupKey) -> list[GroupKey]:
        """The group and all groups below it, top-down."""
        order, stack = [], [key]
        while stack:
            current = stack.pop(0)
            order.append(current)
            stack.extend(self.groups[current].children)
        return order


def plan(
    *, parents: Mapping[int, int | None], respondents: Mapping[int | None, int], threshold: int
) -> Plan:
    """Decide which groups are shown.

    `parents`: every team id → its parent team id (None at the top).
    `respondents`: how many responses came from each team id (None: no team, or a
    team that no longer exists).
    """
    if threshold < 1:
        raise ValueError("threshold must be positive")
    groups: dict[GroupKey, Group] = {ALL: Group(ALL, None), NO_TEAM: Group(NO_TEAM, ALL)}
    for team_id in sorted(parents):
        groups[team_id] = Group(team_id, None)
    for team_id in sorted(parents):
        parent = parents[team_id]
        if parent not in parents or _is_cycle(parents, team_id):
            parent = ALL
        groups[team_id].parent = parent
    for key, group in groups.items():
        if group.parent is not None:
            groups[group.parent].children.append(key)

    for team_id, count in respondents.items():
        direct = team_id if team_id in parents else NO_TEAM
        key: GroupKey | None = direct
        while key is not None:
            groups[key].respondents += count
            key = groups[key].parent

    result = Plan(threshold=threshold, groups=groups)
    for group in groups.values():
        if group.respondents < threshold:
            group.hidden_because = BELOW_THRESHOLD
    # Top-down: fixing a group only hides groups below it, which are checked later.
    for key in result.descendants(ALL):
        group = groups[key]
        while group.visible:
            largest = _largest_visible_below(result, key)
            residual = group.respondents - sum(groups[k].respondents for k in largest)
            if residual == 0 or residual >= threshold:
                break
            smallest = min(largest, key=lambda k: (groups[k].respondents, str(k)))
            groups[smallest].hidden_because = COMPLEMENTARY
    return result


def _largest_visible_below(result: Plan, key: GroupKey) -> list[GroupKey]:
    found, stack = [], list(result.groups[key].children)
    while stack:
        current = stack.pop()
        if result.groups[current].visible:
            found.append(current)
        else:
            stack.extend(result.groups[current].children)
    return found


def _is_cycle(parents: Mapping[int, int | None], team_id: int) -> bool:
    seen, current = set(), parents.get(team_id)
    while current is not None:
        if current == team_id or current in seen:
            return True
        seen.add(current)
        current = parents.get(current)
    return False


def distributions_shown(
    result: Plan, cells: Mapping[GroupKey, list[int]], *, threshold: int | None = None
) -> set[GroupKey]:
    """Which groups may show one question's option counts (distribution).

    `result` is the question's plan (who answered it); `cells[key]` is, for every
    group visible in it, the count of each option. An option count is never shown
    below the threshold, and neither is one that can be worked out by subtraction:

    1. a group's distribution is shown only when each of its counts is 0 or at
       least `threshold` (the rule survey tools apply to whole groups, per cell);
    2. and when, for each option, its count minus the counts of its largest
       shown sub-groups (the residual, what the other filters give away) is 0 or
       at least `threshold`.

    A distribution is shown whole or not at all, so the respondent total cannot
    recover a lone hidden option. Where rule 2 fails the wider group's
    distribution is hidden (complementary suppression), which enlarges the
    residuals of the groups above it; this repeats until nothing changes. As in
    `plan()`, groups nest, so every count anyone can compute from what is shown is
    a sum of residual counts, each 0 or at least `threshold`.
    """
    k = threshold or result.threshold
    shown = {
        key
        for key, counts in cells.items()
        if result.visible(key) and all(c == 0 or c >= k for c in counts)
    }
    changed = True
    while changed:
        changed = False
        for key in result.descendants(ALL):
            if key not in shown:
                continue
            below = _largest_below(result, key, shown)
            for option, count in enumerate(cells[key]):
                residual = count - sum(cells[b][option] for b in below)
                if 0 < residual < k:
                    shown.discard(key)
                    changed = True
                    break
    return shown


def _largest_below(result: Plan, key: GroupKey, shown: set[GroupKey]) -> list[GroupKey]:
    found, stack = [], list(result.groups[key].children)
    while stack:
        current = stack.pop()
        if current in shown:
            found.append(current)
        else:
            stack.extend(result.groups[current].children)
    return found
