"""eNPS on known inputs: promoters 9–10, passives 7–8, detractors 0–6."""

import pytest

from surveys.metrics import enps


def test_the_standard_example_from_a_balanced_team():
    result = enps([10, 9, 9, 8, 7, 6, 5, 0, 10, 3])
    assert (result.promoters, result.passives, result.detractors) == (4, 2, 4)
    assert result.score == 0


@pytest.mark.parametrize(
    ("scores", "expected"),
    [
        ([10, 10, 9, 9, 9, 8, 7, 6], 50),  # 62.5% − 12.5%
        ([9, 10, 7], 67),  # 66.7%
        ([0, 3, 6], -100),
        ([9, 9, 9], 100),
        ([7, 8, 8, 7], 0),
        ([9, 7, 7, 7, 7, 7, 7, 7], 13),  # 12.5 rounds away from zero
        ([6, 7, 7, 7, 7, 7, 7, 7], -13),
    ],
)
def test_score_is_percent_promoters_minus_percent_detractors(scores, expected):
    assert enps(scores).score == expected


def test_boundaries_of_the_three_groups():
    assert enps([9]).promoters == 1
    assert enps([8]).passives == 1
    assert enps([7]).passives == 1
    assert enps([6]).detractors == 1


def test_no_answers_has_no_score():
    assert enps([]).score is None


@pytest.mark.parametrize("bad", [-1, 11])
def test_out_of_range_answers_are_refused(bad):
    with pytest.raises(ValueError):
        enps([bad])
