"""Tests for ticket_analysis.report.charts: what each chart draws for the 16-ticket fixture.

The charts build ``Figure`` objects without pyplot, so no figure ever enters
pyplot's global list; the autouse fixture checks that and closes any that do.
"""

from __future__ import annotations

import ast
import io
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib
import numpy as np

matplotlib.use("Agg")

import pytest
from matplotlib import _pylab_helpers
from matplotlib.axes import Axes
from matplotlib.collections import LineCollection
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from summary_fixtures import empty_summary, full_summary

from ticket_analysis.report import charts
from ticket_analysis.summary import Summary

PLOTS: list[Callable[[Summary], Figure]] = [
    charts.plot_monthly_volume,
    charts.plot_weekly_volume,
    charts.plot_resolution_by_priority,
    charts.plot_status_by_priority,
    charts.plot_agent_load,
    charts.plot_backlog_aging,
    charts.plot_top_words,
]
PRIORITIES = ["Low", "Medium", "High", "Critical"]
MATH_NAMES = ["Agent $\\frac$", "a$b$c", "$$", "Zoë $5 & $10 \\$"]


@pytest.fixture(autouse=True)
def _no_pyplot_figures() -> Iterator[None]:
    """Fail if a test leaves a pyplot-managed figure open, and close it."""
    yield
    leaked = _pylab_helpers.Gcf.get_num_fig_managers()
    _pylab_helpers.Gcf.destroy_all()
    assert leaked == 0


def model(data: dict[str, Any] | None = None) -> Summary:
    """The typed summary of ``data`` (default: the hand-computed fixture)."""
    return Summary.model_validate(full_summary() if data is None else data)


def _axes(fig: Figure) -> Axes:
    """Return the figure's only axes."""
    (ax,) = fig.axes
    return ax


def _bars(ax: Axes) -> list[BarContainer]:
    """Return the axes' bar containers in drawing order."""
    return [c for c in ax.containers if isinstance(c, BarContainer)]


def _ticks(labels: list[Any]) -> list[str]:
    """Return tick label texts."""
    return [label.get_text() for label in labels]


def _png(fig: Figure) -> bytes:
    """Render the figure to PNG bytes (this draws every text)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png")
    return buffer.getvalue()


def _series(ax: Axes) -> dict[str, list[float]]:
    """Return the labelled lines' y values (the hollow partial markers have none)."""
    return {
        str(line.get_label()): np.asarray(line.get_ydata()).tolist()
        for line in ax.get_lines()
        if not str(line.get_label()).startswith("_")
    }


def _hollow(ax: Axes) -> list[list[float]]:
    """Return the x positions of the hollow (white-filled) partial markers."""
    return [
        np.asarray(line.get_xdata()).tolist()
        for line in ax.get_lines()
        if line.get_markerfacecolor() == "white"
    ]


def test_monthly_volume_draws_created_resolved_and_open_at_end() -> None:
    """Three lines over the three months; March 2024 is labelled and drawn partial."""
    ax = _axes(charts.plot_monthly_volume(model()))
    assert _series(ax) == {
        "Created": [5, 8, 3],
        "Resolved": [4, 4, 1],
        "Open at end": [1, 4, 6],
    }
    assert _ticks(ax.get_xticklabels()) == ["2024-01", "2024-02", "2024-03 (partial)"]
    assert _hollow(ax) == [[2], [2], [2]]  # the partial month, on each line
    assert ax.get_title() == "Tickets created and resolved per month"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Month", "Tickets")


def test_monthly_volume_without_a_partial_month_has_no_marker() -> None:
    """as_of on a month's last day: no label says partial, no hollow point."""
    summary = full_summary()
    summary["monthly_volume"][-1]["partial"] = False
    ax = _axes(charts.plot_monthly_volume(model(summary)))
    assert _ticks(ax.get_xticklabels())[-1] == "2024-03"
    assert _hollow(ax) == []


def _months(count: int, partial: bool) -> list[dict[str, Any]]:
    """Return ``count`` months from 2020-01, the last one partial if asked."""
    return [
        {"month": f"{2020 + n // 12}-{n % 12 + 1:02d}", "created": n, "resolved": 0,
         "open_at_end": 0, "breach_rate": None,
         "partial": partial and n == count - 1}
        for n in range(count)
    ]  # fmt: skip


def test_monthly_volume_labels_at_most_24_months() -> None:
    """Sixty months are all drawn; every third month is labelled."""
    summary = full_summary()
    summary["monthly_volume"] = _months(60, partial=False)
    ax = _axes(charts.plot_monthly_volume(model(summary)))
    assert np.asarray(ax.get_lines()[0].get_xdata()).tolist() == list(range(60))
    labels = _ticks(ax.get_xticklabels())
    assert labels[:3] == ["2020-01", "2020-04", "2020-07"]
    assert len(labels) == 20


def test_a_partial_last_month_is_labelled_even_between_steps() -> None:
    """Sixty months, every third labelled: month 60 (index 59) is added, partial."""
    summary = full_summary()
    summary["monthly_volume"] = _months(60, partial=True)
    labels = _ticks(_axes(charts.plot_monthly_volume(model(summary))).get_xticklabels())
    assert len(labels) == 21
    assert labels[-2:] == ["2024-10", "2024-12 (partial)"]


def test_weekly_volume_draws_the_12_weeks_the_last_partial() -> None:
    """The fixture's weeks: Mondays 2024-01-01 .. 2024-03-18, the last cut short."""
    ax = _axes(charts.plot_weekly_volume(model()))
    assert _series(ax) == {
        "Created": [1, 1, 1, 1, 2, 2, 1, 2, 2, 0, 1, 2],
        "Resolved": [1, 1, 1, 0, 3, 0, 2, 0, 1, 0, 0, 0],
        "Open at end": [0, 0, 0, 1, 0, 2, 1, 3, 3, 3, 4, 6],
    }
    labels = _ticks(ax.get_xticklabels())
    assert labels[0] == "2024-01-01"
    assert labels[-1] == "2024-03-18 (partial)"
    assert _hollow(ax) == [[11], [11], [11]]


def test_resolution_by_priority_draws_median_p90_and_targets() -> None:
    """Median and p90 bars per priority; the SLA targets as dashed segments."""
    ax = _axes(charts.plot_resolution_by_priority(model()))
    median, p90 = _bars(ax)
    assert median.get_label() == "Median"
    assert p90.get_label() == "90th percentile"
    assert [bar.get_height() for bar in median] == [11.0, 8.0, 1.5, 3.0]
    assert [bar.get_height() for bar in p90] == [11.0, 8.8, 1.9, 3.8]
    (targets,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert targets.get_label() == "SLA target"
    assert [segment[0][1] for segment in targets.get_segments()] == [14, 7, 3, 1]
    assert _ticks(ax.get_xticklabels()) == PRIORITIES
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Priority", "Days to resolve")


def test_resolution_by_priority_marks_a_priority_without_data() -> None:
    """A priority with no resolution time gets zero bars and an n/a note."""
    summary = full_summary()
    summary["resolution_time_days"]["by_priority"]["High"].update(
        count=0, mean=None, median=None, p90=None, min=None, max=None
    )
    ax = _axes(charts.plot_resolution_by_priority(model(summary)))
    assert [bar.get_height() for bar in _bars(ax)[0]] == [11.0, 8.0, 0.0, 3.0]
    notes = [text for text in ax.texts if text.get_text() == "n/a"]
    assert [note.get_position()[0] for note in notes] == [2]


def test_status_by_priority_stacks_the_grid() -> None:
    """One bar series per status, stacked in workflow order, summing to totals."""
    ax = _axes(charts.plot_status_by_priority(model()))
    series = _bars(ax)
    assert [c.get_label() for c in series] == [
        "Open",
        "In Progress",
        "Resolved",
        "Closed",
    ]
    heights = [[bar.get_height() for bar in c] for c in series]
    assert heights == [[1, 1, 0, 2], [0, 1, 1, 0], [0, 2, 1, 3], [1, 2, 1, 0]]
    assert [bar.get_y() for bar in series[2]] == [1, 2, 1, 2]  # Open + In Progress
    tops = [bar.get_y() + bar.get_height() for bar in series[3]]
    assert tops == [2, 6, 3, 5]  # priority_counts
    assert _ticks(ax.get_xticklabels()) == PRIORITIES


def test_agent_load_draws_resolved_and_open_per_agent() -> None:
    """Resolved and open bars per agent, the first agent at the top."""
    ax = _axes(charts.plot_agent_load(model()))
    resolved, open_ = _bars(ax)
    assert (resolved.get_label(), open_.get_label()) == ("Resolved", "Open")
    assert [bar.get_width() for bar in resolved] == [3, 3, 3]
    assert [bar.get_width() for bar in open_] == [3, 1, 1]
    assert _ticks(ax.get_yticklabels()) == ["Agent_Sarah", "Agent_Mike", "Agent_Lee"]
    assert ax.yaxis_inverted()
    assert ax.get_title() == "Agent load"


def test_agent_load_keeps_the_top_n() -> None:
    """top_n=2 draws two agents and says how many were left out."""
    ax = _axes(charts.plot_agent_load(model(), top_n=2))
    assert [len(c) for c in _bars(ax)] == [2, 2]
    assert _ticks(ax.get_yticklabels()) == ["Agent_Sarah", "Agent_Mike"]
    assert ax.get_title() == "Agent load (top 2 of 3 agents)"
    with pytest.raises(ValueError, match="top_n=0"):
        charts.plot_agent_load(model(), top_n=0)


def test_backlog_aging_draws_the_six_buckets() -> None:
    """One bar per bucket with the open-ticket counts."""
    ax = _axes(charts.plot_backlog_aging(model()))
    (bars,) = _bars(ax)
    assert [bar.get_height() for bar in bars] == [1, 1, 0, 1, 2, 1]
    assert _ticks(ax.get_xticklabels()) == ["0-1", "2-3", "4-7", "8-14", "15-30", "31+"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Days open", "Open tickets")


def test_top_words_draws_horizontal_bars_commonest_on_top() -> None:
    """One bar per word in summary order, the y axis inverted."""
    ax = _axes(charts.plot_top_words(model()))
    (bars,) = _bars(ax)
    assert [bar.get_width() for bar in bars] == [5, 3, 3, 3, 2]
    assert _ticks(ax.get_yticklabels()) == [
        "login",
        "invoice",
        "password",
        "reset",
        "attachment",
    ]
    assert ax.yaxis_inverted()


@pytest.mark.parametrize("plot", PLOTS, ids=lambda plot: plot.__name__)
def test_empty_data_draws_a_no_data_note(
    plot: Callable[[Summary], Figure],
) -> None:
    """Zero tickets: a titled figure with only the "No data" note, and it renders."""
    fig = plot(model({**empty_summary(), "as_of": "2024-03-20"}))
    ax = _axes(fig)
    assert [text.get_text() for text in ax.texts] == ["No data"]
    assert not ax.patches
    assert not ax.get_lines()
    assert ax.get_title()
    assert _png(fig).startswith(b"\x89PNG")


@pytest.mark.parametrize("plot", PLOTS, ids=lambda plot: plot.__name__)
def test_every_plot_saves_to_png(
    plot: Callable[[Summary], Figure], tmp_path: Path
) -> None:
    """Saving the fixture's chart writes a PNG file."""
    path = tmp_path / "chart.png"
    plot(model()).savefig(path)
    assert path.read_bytes().startswith(b"\x89PNG")


def test_dollar_signs_would_break_mathtext_unguarded() -> None:
    """Guard for the next test: these names do fail as ordinary matplotlib text."""
    fig = Figure()
    fig.subplots().set_title(MATH_NAMES[0])
    with pytest.raises(ValueError):
        _png(fig)


def test_dollar_signs_in_agent_names_and_words_are_drawn_literally() -> None:
    """Names with $ render without mathtext errors and keep their text."""
    summary = full_summary()
    for agent, name in zip(summary["agents"], MATH_NAMES, strict=False):
        agent["agent"] = name
    for word, name in zip(summary["top_subject_words"], MATH_NAMES, strict=False):
        word["word"] = name
    agents_fig = charts.plot_agent_load(model(summary))
    words_fig = charts.plot_top_words(model(summary))
    for fig, axis in ((agents_fig, "y"), (words_fig, "y")):
        _png(fig)
        labels = getattr(_axes(fig), f"get_{axis}ticklabels")()
        assert all(not label.get_parse_math() for label in labels)
    assert _ticks(_axes(agents_fig).get_yticklabels()) == MATH_NAMES[:3]
    assert _ticks(_axes(words_fig).get_yticklabels()) == [*MATH_NAMES, "attachment"]


def test_ticket_derived_labels_are_cleaned_and_cut() -> None:
    """A newline becomes a space; a long name is cut to 30 characters."""
    summary = full_summary()
    summary["agents"][0]["agent"] = "Agent\nSarah"
    summary["agents"][1]["agent"] = "M" * 300
    labels = _ticks(_axes(charts.plot_agent_load(model(summary))).get_yticklabels())
    assert labels[:2] == ["Agent Sarah", "M" * 29 + "…"]


def test_charts_are_pure() -> None:
    """Drawing leaves the summary unchanged and never touches pyplot."""
    summary = model()
    for plot in PLOTS:
        plot(summary)
    assert summary == model()
    assert _pylab_helpers.Gcf.get_num_fig_managers() == 0


def _runtime_imports(tree: ast.AST) -> Iterator[str]:
    """Yield the modules a module imports at run time (not under TYPE_CHECKING)."""
    for node in ast.iter_child_nodes(tree):
        yield from _imports_of(node)


def _imports_of(node: ast.AST) -> Iterator[str]:
    """Yield the modules one statement imports, nested statements included."""
    if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
        for child in node.orelse:
            yield from _imports_of(child)
        return
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom) and node.module:
        yield node.module
    yield from _runtime_imports(node)


def test_only_charts_imports_matplotlib() -> None:
    """No other package module imports matplotlib at run time (typing-only is fine)."""
    package = Path(charts.__file__).parents[1]
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path != Path(charts.__file__)
        and any(
            name.split(".")[0] == "matplotlib"
            for name in _runtime_imports(ast.parse(path.read_text(encoding="utf-8")))
        )
    ]
    assert offenders == []


def test_the_import_guard_sees_lazy_imports_but_not_typing_ones() -> None:
    """Guard for the test above: function-level imports count, TYPE_CHECKING not."""
    source = (
        "from typing import TYPE_CHECKING\n"
        "if TYPE_CHECKING:\n    from matplotlib.figure import Figure\n"
        "else:\n    import matplotlib.text\n"
        "def f():\n    import matplotlib.pyplot as plt\n"
    )
    assert list(_runtime_imports(ast.parse(source))) == [
        "typing",
        "matplotlib.text",
        "matplotlib.pyplot",
    ]
