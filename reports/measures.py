"""Comparing a measure's quarter with the same quarter last year and in the baseline year, and the status it earns.

The status rule lives in one function, `measure_status`, and is printed in the report's notes as STATUS_RULE.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

BETTER, NO_CHANGE, WORSE, NOT_AVAILABLE = "better", "no_change", "worse", "not_available"
STATUS_LABELS = {
    BETTER: "Better position",
    NO_CHANGE: "No change or still some concern",
    WORSE: "Worse position",
    NOT_AVAILABLE: "n/a",
}
LOWER_IS_BETTER, HIGHER_IS_BETTER = "lower", "higher"

STATUS_RULE = (
    "Each measure's figure for the quarter is compared with the same quarter last year (or, if there is no figure for "
    "last year, with the same quarter of the baseline year). A change within the measure's tolerance either way, "
    "limits included, is \"No change or still some concern\". A larger change in the better direction (down for a "
    "measure where lower is better, up where higher is better) is \"Better position\", unless the figure is still "
    "worse than the baseline year by more than the tolerance, which remains \"No change or still some concern\". A "
    "larger change in the worse direction is \"Worse position\". A rise from nought counts as beyond any tolerance. "
    "Without a figure for the quarter, or without any figure to compare it with, the status is n/a."
)


def _beyond(current: int, previous: int, tolerance_percent: int) -> bool:
    """Whether the change from `previous` to `current` is more than `tolerance_percent` of `previous` (exact, no floats)."""
    return abs(current - previous) * 100 > tolerance_percent * previous


def _is_better(current: int, previous: int, direction: str) -> bool:
    return current < previous if direction == LOWER_IS_BETTER else current > previous


def measure_status(*, current: int | None, last_year: int | None, baseline: int | None, direction: str, tolerance_percent: int) -> str:
    """The status of a measure for a quarter, by STATUS_RULE: BETTER, NO_CHANGE, WORSE or NOT_AVAILABLE."""
    if direction not in (LOWER_IS_BETTER, HIGHER_IS_BETTER):
        raise ValueError(f"Unknown direction {direction!r}: use {LOWER_IS_BETTER!r} or {HIGHER_IS_BETTER!r}.")
    if tolerance_percent < 0:
        raise ValueError("The tolerance cannot be negative.")
    previous = last_year if last_year is not None else baseline
    if current is None or previous is None:
        return NOT_AVAILABLE
    if not _beyond(current, previous, tolerance_percent):
        return NO_CHANGE
    if not _is_better(current, previous, direction):
        return WORSE
    if baseline is not None and last_year is not None and not _is_better(current, baseline, direction) and _beyond(current, baseline, tolerance_percent):
        return NO_CHANGE
    return BETTER


def percent_change(current: int, previous: int) -> int | None:
    """The change as a whole percentage of `previous`, rounded half up; None when `previous` is nought."""
    if previous == 0:
        return None
    exact = (Decimal(current) - Decimal(previous)) * 100 / Decimal(previous)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def _against(current: int, previous: int | None, name: str) -> tuple[str, str]:
    """("15% higher than 2008-09 (91)", "higher") for one comparison; the second item says which way it went."""
    if previous is None:
        return f"no figure for {name}", ""
    if current == previous:
        return f"the same as {name} ({previous})", "same"
    way = "higher" if current > previous else "lower"
    change = percent_change(current, previous)
    if change is None:
        return f"{way} than {name} ({previous})", way
    return f"{abs(change)}% {way} than {name} ({previous})", way


@dataclass(frozen=True)
class Comparison:
    """One measure in one quarter, with its comparisons, ready for the report."""

    name: str
    unit: str
    current: int | None
    last_year: int | None
    baseline: int | None
    baseline_label: str
    direction: str
    tolerance_percent: int

    @property
    def status(self) -> str:
        return measure_status(
            current=self.current, last_year=self.last_year, baseline=self.baseline,
            direction=self.direction, tolerance_percent=self.tolerance_percent,
        )

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def change_on_last_year(self) -> int | None:
        return None if self.current is None or self.last_year is None else percent_change(self.current, self.last_year)

    @property
    def change_on_baseline(self) -> int | None:
        return None if self.current is None or self.baseline is None else percent_change(self.current, self.baseline)

    @property
    def sentence(self) -> str:
        """"105 offences, 13% lower than last year (120) but 15% higher than 2008-09 (91)"."""
        if self.current is None:
            return f"No figure has been entered for this quarter ({self.unit})."
        last, last_way = _against(self.current, self.last_year, "last year")
        base, base_way = _against(self.current, self.baseline, self.baseline_label)
        joined = "but" if {last_way, base_way} == {"higher", "lower"} else "and"
        return f"{self.current} {self.unit}, {last} {joined} {base}."
