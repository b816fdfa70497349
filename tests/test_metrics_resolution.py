"""Resolution time statistics (overall and by priority)."""

from __future__ import annotations

import numpy as np
import pytest
from factories import make_tickets
from hypothesis import given, settings
from hypothesis import strategies as st

from ticket_analysis.metrics import resolution, resolution_time_days
from ticket_analysis.metrics.resolution import (
    MAX_HISTOGRAM_CELLS,
    describe_days,
    grouped_stats,
)
from ticket_analysis.summary_parts import Stats

NULL_STATS = Stats(
    count=0,
    mean=None,
    median=None,
    p90=None,
    min=None,
    max=None,
)


def _resolved(
    priority: str, created: str, resolved: str | None
) -> dict[str, str | None]:
    return {
        "priority": priority,
        "status": "Resolved",
        "created_date": created,
        "resolved_date": resolved,
    }


def test_p90_interpolates_linearly() -> None:
    """p90 of 0, 1, 2, 10 sits 0.7 of the way from 2 to 10."""
    # (n - 1) * 0.9 = 2.7 -> 2 + 0.7 * (10 - 2) = 7.6; median (1 + 2) / 2 = 1.5;
    # mean 13 / 4 = 3.25.
    assert describe_days(np.array([10.0, 0.0, 2.0, 1.0])) == Stats(
        count=4,
        mean=3.25,
        median=1.5,
        p90=7.6,
        min=0,
        max=10,
    )


def test_rounding_to_two_decimals_and_nan_ignored() -> None:
    """Mean 1/3 rounds to 0.33; NaN entries are not resolution times."""
    # 0, 0, 1: mean 0.333.. -> 0.33, median 0, p90 index 1.8 -> 0 + 0.8 * 1 = 0.8
    assert describe_days(np.array([0.0, np.nan, 1.0, 0.0])) == Stats(
        count=3,
        mean=0.33,
        median=0.0,
        p90=0.8,
        min=0,
        max=1,
    )


def test_no_values_gives_null_statistics() -> None:
    """Count 0 -> every other figure is None."""
    assert describe_days(np.array([np.nan])) == NULL_STATS
    assert describe_days(np.array([])) == NULL_STATS


def test_overall_mean_is_over_tickets_not_a_mean_of_priority_means() -> None:
    """Low [10] and High [0, 0, 2]: overall 3.0, whereas the mean of means is 5.33."""
    tickets = make_tickets(
        [
            _resolved("Low", "2024-01-01", "2024-01-11"),  # 10 days
            _resolved("High", "2024-01-05", "2024-01-05"),  # same day = 0
            _resolved("High", "2024-01-05", "2024-01-05"),  # 0
            _resolved("High", "2024-01-05", "2024-01-07"),  # 2
            # Resolved before created: the loader blanks the date -> excluded.
            _resolved("High", "2024-01-05", None),
            {"priority": "Critical", "status": "Open"},
        ]
    )
    result = resolution_time_days(tickets)
    # overall 0, 0, 2, 10: mean 12 / 4 = 3; median 1; p90 index 2.7 -> 2 + 0.7 * 8
    assert result.overall == Stats(
        count=4,
        mean=3.0,
        median=1.0,
        p90=7.6,
        min=0,
        max=10,
    )
    assert result.by_priority == {
        "Low": Stats(
            count=1,
            mean=10.0,
            median=10.0,
            p90=10.0,
            min=10,
            max=10,
        ),
        "Medium": NULL_STATS,
        # 0, 0, 2: mean 0.67, median 0, p90 index 1.8 -> 0 + 0.8 * 2 = 1.6
        "High": Stats(
            count=3,
            mean=0.67,
            median=0.0,
            p90=1.6,
            min=0,
            max=2,
        ),
        "Critical": NULL_STATS,
    }
    assert list(result.by_priority) == ["Low", "Medium", "High", "Critical"]


def test_closed_without_date_counts_no_duration() -> None:
    """A Closed ticket without a usable date adds nothing to the statistics."""
    tickets = make_tickets([{"status": "Closed"}])
    assert resolution_time_days(tickets).overall == NULL_STATS


@given(st.lists(st.integers(min_value=0, max_value=400), min_size=1, max_size=60))
def test_statistics_match_numpy(days: list[int]) -> None:
    """The histogram shortcut gives exactly NumPy's mean, median and quantile."""
    values = np.array(days, dtype=float)
    assert describe_days(values) == Stats(
        count=len(days),
        mean=round(float(np.mean(values)), 2),
        median=round(float(np.median(values)), 2),
        p90=round(float(np.quantile(values, 0.9)), 2),
        min=min(days),
        max=max(days),
    )


@pytest.mark.parametrize("cells", [MAX_HISTOGRAM_CELLS, 0])
@settings(deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 90)), min_size=0, max_size=80)
)
def test_grouped_statistics_match_numpy_per_group(
    cells: int, pairs: list[tuple[int, int]]
) -> None:
    """Histogram and sort strategies both equal NumPy on each group's values."""
    groups = np.array([g for g, _ in pairs], dtype=np.int64)
    days = np.array([d for _, d in pairs], dtype=np.int64)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(resolution, "MAX_HISTOGRAM_CELLS", cells)
        result = grouped_stats(groups, days, 4)
    for group in range(4):
        values = days[groups == group].astype(float)
        if values.size == 0:
            assert result[group] == NULL_STATS
            continue
        assert result[group] == Stats(
            count=values.size,
            mean=round(float(np.mean(values)), 2),
            median=round(float(np.median(values)), 2),
            p90=round(float(np.quantile(values, 0.9)), 2),
            min=int(values.min()),
            max=int(values.max()),
        )
