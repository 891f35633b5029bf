"""The threshold and subtraction rules, on crafted small teams and on random trees."""

import itertools
import random

import pytest

from surveys.anonymity import ALL, BELOW_THRESHOLD, COMPLEMENTARY, NO_TEAM, plan

# Team ids: 1 Sales, 2 Sales East (in Sales), 3 Marketing, 4 Engineering
PARENTS = {1: None, 2: 1, 3: None, 4: None}


def visible(result):
    return {key for key, group in result.groups.items() if group.visible}


def test_groups_at_or_above_the_threshold_are_all_shown():
    result = plan(parents=PARENTS, respondents={1: 5, 2: 5, 3: 6, 4: 7}, threshold=5)
    # Sales (with East) = 10, East = 5, residual of Sales = 5: fine
    assert visible(result) == {ALL, 1, 2, 3, 4}
    assert result.groups[1].respondents == 10
    assert result.groups[ALL].respondents == 23


def test_a_small_team_is_hidden_and_so_is_the_next_smallest_sibling():
    result = plan(parents=PARENTS, respondents={2: 5, 3: 2, 4: 7, 1: 3}, threshold=5)
    # Marketing (2) is below the threshold; everyone (17) minus Sales (8) minus
    # Engineering (7) would give Marketing's 2 answers, so the smaller of the two
    # visible siblings (Engineering, 7) is hidden too.
    assert result.groups[3].hidden_because == BELOW_THRESHOLD
    assert result.groups[4].hidden_because == COMPLEMENTARY
    assert result.visible(1) and result.visible(ALL)


def test_a_sub_team_is_hidden_when_its_parent_minus_it_would_expose_the_rest():
    # Sales has 1 person of its own and 5 in Sales East: Sales (6) − East (5) = 1.
    result = plan(parents=PARENTS, respondents={1: 1, 2: 5, 3: 6}, threshold=5)
    assert result.visible(1)
    assert result.groups[2].hidden_because == COMPLEMENTARY
    assert result.visible(3) and result.visible(ALL)


def test_people_without_a_team_form_a_group_that_counts_in_the_subtraction():
    result = plan(parents=PARENTS, respondents={None: 1, 3: 6, 4: 8}, threshold=5)
    assert result.groups[NO_TEAM].hidden_because == BELOW_THRESHOLD
    assert result.groups[3].hidden_because == COMPLEMENTARY
    assert result.visible(4) and result.visible(ALL)


def test_answers_of_a_deleted_team_count_as_no_team():
    result = plan(parents=PARENTS, respondents={99: 6, 3: 6}, threshold=5)
    assert result.groups[NO_TEAM].respondents == 6
    assert result.keys_containing(99) == [NO_TEAM, ALL]


def test_two_hidden_teams_whose_sum_is_still_small_hide_a_third():
    result = plan(
        parents={1: None, 2: None, 3: None, 4: None},
        respondents={1: 1, 2: 1, 3: 6, 4: 7},
        threshold=5,
    )
    assert result.groups[3].hidden_because == COMPLEMENTARY  # smallest visible sibling
    assert result.visible(4)


def test_two_hidden_teams_that_together_reach_the_threshold_need_no_more_hiding():
    result = plan(parents={1: None, 2: None, 3: None}, respondents={1: 3, 2: 3, 3: 6}, threshold=5)
    assert visible(result) == {ALL, 3}


def test_an_organization_below_the_threshold_shows_nothing():
    result = plan(parents=PARENTS, respondents={1: 2, 3: 2}, threshold=5)
    assert visible(result) == set()


def test_the_threshold_is_whatever_the_organization_set():
    result = plan(parents=PARENTS, respondents={1: 3, 3: 3}, threshold=3)
    assert visible(result) == {ALL, 1, 3}


def _subtraction_leaks(result, threshold):
    """Every number anyone can compute: a visible group minus any set of disjoint
    visible groups inside it. Returns the ones that describe 1..threshold-1 people."""
    groups = result.groups
    leaks = []
    for key, group in groups.items():
        if not group.visible:
            continue
        inside = [k for k in result.descendants(key) if k != key and groups[k].visible]
        for size in range(1, len(inside) + 1):
            for chosen in itertools.combinations(inside, size):
                if any(a in result.descendants(b) for a in chosen for b in chosen if a != b):
                    continue  # overlapping groups: not a subtraction of people
                rest = group.respondents - sum(groups[k].respondents for k in chosen)
                if 0 < rest < threshold:
                    leaks.append((key, chosen, rest))
    return leaks


@pytest.mark.parametrize("seed", range(150))
def test_no_combination_of_visible_groups_reveals_a_small_group(seed):
    rng = random.Random(seed)
    team_count = rng.randint(1, 7)
    parents = {
        team: (rng.choice([None, *range(1, team)]) if team > 1 else None)
        for team in range(1, team_count + 1)
    }
    respondents = {team: rng.choice([0, 1, 2, 3, 4, 5, 6, 8, 12]) for team in parents}
    respondents[None] = rng.choice([0, 0, 1, 4, 6])
    threshold = rng.choice([3, 4, 5])
    result = plan(parents=parents, respondents=respondents, threshold=threshold)
    for group in result.groups.values():
        if group.visible:
            assert group.respondents >= threshold
    assert _subtraction_leaks(result, threshold) == []


def test_a_cycle_in_the_team_tree_does_not_hang_or_drop_answers():
    result = plan(parents={1: 2, 2: 1}, respondents={1: 5, 2: 5}, threshold=5)
    assert result.groups[ALL].respondents == 10
