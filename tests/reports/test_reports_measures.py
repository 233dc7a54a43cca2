"""The status rule at its edges, and the comparison sentences printed in the report."""

import pytest

from reports.measures import BETTER, HIGHER_IS_BETTER, LOWER_IS_BETTER, NO_CHANGE, NOT_AVAILABLE, STATUS_RULE, WORSE, Comparison, measure_status, percent_change


def status(current, last_year, baseline=None, direction=LOWER_IS_BETTER, tolerance=5):
    return measure_status(current=current, last_year=last_year, baseline=baseline, direction=direction, tolerance_percent=tolerance)


@pytest.mark.parametrize(
    "current, expected",
    [
        (105, NO_CHANGE),  # +5%: on the limit, still no change
        (106, WORSE),  # +6%: beyond
        (95, NO_CHANGE),  # −5%: on the limit
        (94, BETTER),  # −6%: beyond, the better way
        (100, NO_CHANGE),
    ],
)
def test_within_tolerance_either_way_is_no_change_and_beyond_it_goes_by_direction(current, expected):
    assert status(current, 100) == expected


def test_the_direction_decides_which_way_is_better():
    assert status(120, 100, direction=HIGHER_IS_BETTER) == BETTER
    assert status(80, 100, direction=HIGHER_IS_BETTER) == WORSE
    assert status(120, 100, direction=LOWER_IS_BETTER) == WORSE


def test_the_tolerance_edge_is_exact_not_floating_point():
    # 3 in 60 is exactly 5%: no change; 4 in 60 is 6.7%: worse.
    assert status(63, 60) == NO_CHANGE
    assert status(64, 60) == WORSE
    assert status(7, 3, tolerance=0) == WORSE and status(3, 3, tolerance=0) == NO_CHANGE


def test_better_than_last_year_but_still_worse_than_the_baseline_is_still_some_concern():
    # The papers' dwelling burglary: 105, lower than last year (120) but 15% higher than 2008-09 (91).
    assert status(105, 120, baseline=91) == NO_CHANGE
    # Within the tolerance of the baseline: better.
    assert status(95, 120, baseline=91) == BETTER  # 4.4% above the baseline
    assert status(85, 120, baseline=91) == BETTER  # below the baseline
    # Worse than last year stays worse whatever the baseline says.
    assert status(130, 120, baseline=200) == WORSE


def test_without_last_year_the_baseline_is_the_comparison():
    assert status(80, None, baseline=100) == BETTER
    assert status(104, None, baseline=100) == NO_CHANGE
    assert status(110, None, baseline=100) == WORSE


def test_missing_figures_give_no_status():
    assert status(None, 100, baseline=90) == NOT_AVAILABLE
    assert status(100, None, baseline=None) == NOT_AVAILABLE


def test_a_rise_from_nought_is_beyond_any_tolerance():
    assert status(0, 0) == NO_CHANGE
    assert status(1, 0) == WORSE
    assert status(1, 0, direction=HIGHER_IS_BETTER) == BETTER
    assert status(0, 3, direction=HIGHER_IS_BETTER) == WORSE


def test_nonsense_is_refused():
    with pytest.raises(ValueError):
        status(1, 1, direction="sideways")
    with pytest.raises(ValueError):
        status(1, 1, tolerance=-1)


def test_percentages_round_half_up_and_say_nothing_against_nought():
    assert percent_change(105, 91) == 15
    assert percent_change(105, 120) == -13  # −12.5% rounds away from nought
    assert percent_change(31, 49) == -37
    assert percent_change(182, 179) == 2
    assert percent_change(5, 0) is None


def _comparison(current, last_year, baseline, **kwargs):
    values = {"name": "Dwelling burglary", "unit": "offences", "baseline_label": "2008-09", "direction": LOWER_IS_BETTER, "tolerance_percent": 5}
    values.update(kwargs)
    return Comparison(current=current, last_year=last_year, baseline=baseline, **values)


def test_the_sentences_read_like_the_research_teams():
    assert _comparison(105, 120, 91).sentence == "105 offences, 13% lower than last year (120) but 15% higher than 2008-09 (91)."
    assert _comparison(31, 40, 49).sentence == "31 offences, 23% lower than last year (40) and 37% lower than 2008-09 (49)."
    assert _comparison(10, 10, 0).sentence == "10 offences, the same as last year (10) and higher than 2008-09 (0)."
    assert _comparison(10, None, 8).sentence == "10 offences, no figure for last year and 25% higher than 2008-09 (8)."
    assert _comparison(None, 10, 8).sentence == "No figure has been entered for this quarter (offences)."
    assert _comparison(105, 120, 91).status_label == "No change or still some concern"


def test_the_rule_is_written_for_the_report_notes():
    assert "within the measure's tolerance either way" in STATUS_RULE and "baseline" in STATUS_RULE
