"""Tests for ticket_analysis.report.charts: what each chart draws for the 16-ticket fixture.

The charts build ``Figure`` objects without pyplot, so no figure ever enters
pyplot's global list; the autouse fixture checks that and closes any that do.
"""

from __future__ import annotations

import ast
import io
import re
import xml.etree.ElementTree as ET
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
from matplotlib.colors import to_hex
from matplotlib.container import BarContainer
from matplotlib.figure import Figure
from summary_fixtures import empty_summary, full_summary

from ticket_analysis.report import chart_style, charts
from ticket_analysis.summary import Summary

PLOTS: list[Callable[[Summary], Figure]] = [
    charts.plot_monthly_volume,
    charts.plot_monthly_backlog,
    charts.plot_weekly_volume,
    charts.plot_weekday_volume,
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


def _heights(container: BarContainer) -> list[float]:
    """Return a bar container's heights."""
    return [bar.get_height() for bar in container]


def _title(ax: Axes) -> str:
    """Return the chart's title (drawn on the left)."""
    return str(ax.get_title(loc="left"))


def test_monthly_volume_draws_created_and_resolved_bars() -> None:
    """Created and resolved bars per month; March 2024 is hatched and says partial."""
    fig = charts.plot_monthly_volume(model())
    ax = _axes(fig)
    created, resolved = _bars(ax)
    assert (created.get_label(), resolved.get_label()) == ("Created", "Resolved")
    assert _heights(created) == [5, 8, 3] and _heights(resolved) == [4, 4, 1]
    assert [bar.get_hatch() for bar in created] == [None, None, "///"]
    assert _ticks(ax.get_xticklabels()) == [
        "Jan\n2024",
        "Feb\n2024",
        "Mar\n2024\npartial",
    ]
    assert _title(ax) == "Created and resolved per month"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Month", "Tickets per month")
    assert fig.get_label() == (
        "February 2024: 8 created, 4 resolved. When blue (created) stands above "
        "green (resolved), the backlog grows. March 2024 is partial (to 2024-03-20)."
    )


def test_monthly_volume_without_a_partial_month_has_no_marker() -> None:
    """as_of on a month's last day: no label says partial, no hatched bar."""
    summary = full_summary()
    summary["monthly_volume"][-1]["partial"] = False
    ax = _axes(charts.plot_monthly_volume(model(summary)))
    assert _ticks(ax.get_xticklabels())[-1] == "Mar\n2024"
    assert all(bar.get_hatch() is None for c in _bars(ax) for bar in c)


def _months(count: int, partial: bool) -> list[dict[str, Any]]:
    """Return ``count`` months from 2020-01, the last one partial if asked."""
    return [
        {"month": f"{2020 + n // 12}-{n % 12 + 1:02d}", "created": n, "resolved": 0,
         "open_at_end": 0, "breach_rate": None,
         "partial": partial and n == count - 1}
        for n in range(count)
    ]  # fmt: skip


def test_monthly_volume_labels_at_most_8_months_the_last_always() -> None:
    """Sixty months are all drawn; every 8th is labelled, counted back from the last."""
    summary = full_summary()
    summary["monthly_volume"] = _months(60, partial=True)
    ax = _axes(charts.plot_monthly_volume(model(summary)))
    assert len(_bars(ax)[0]) == 60
    assert list(ax.get_xticks()) == [3, 11, 19, 27, 35, 43, 51, 59]
    labels = _ticks(ax.get_xticklabels())
    assert labels[0] == "Apr\n2020" and labels[-1] == "Dec\n2024\npartial"


def test_monthly_backlog_draws_open_at_end_and_the_breach_rate() -> None:
    """Backlog bars on the left axis, breach rate in percent on the right."""
    fig = charts.plot_monthly_backlog(model())
    ax, rate = fig.axes
    (bars,) = _bars(ax)
    assert _heights(bars) == [1, 4, 6]
    assert bars[2].get_hatch() == "///"
    line = rate.get_lines()[0]
    assert np.asarray(line.get_ydata()).tolist() == [25.0, 50.0, 100.0]
    assert _hollow(rate) == [[2]]
    assert rate.get_ylabel() == "Breach rate (% of resolved)"
    assert ax.get_ylabel() == "Open tickets at month end"


def test_weekly_volume_draws_the_12_weeks_the_last_partial() -> None:
    """The fixture's weeks: Mondays 2024-01-01 .. 2024-03-18, the last cut short."""
    ax = _axes(charts.plot_weekly_volume(model()))
    created, resolved = _bars(ax)
    assert _heights(created) == [1, 1, 1, 1, 2, 2, 1, 2, 2, 0, 1, 2]
    assert _heights(resolved) == [1, 1, 1, 0, 3, 0, 2, 0, 1, 0, 0, 0]
    assert _series(ax) == {"Open at end": [0, 0, 0, 1, 0, 2, 1, 3, 3, 3, 4, 6]}
    labels = _ticks(ax.get_xticklabels())
    assert labels == ["8 Jan", "22 Jan", "5 Feb", "19 Feb", "4 Mar", "18 Mar\npartial"]
    assert _hollow(ax) == [[11]]


def test_weekday_volume_draws_monday_first() -> None:
    """One bar per weekday; the caption names the busiest and the quietest."""
    fig = charts.plot_weekday_volume(model())
    ax = _axes(fig)
    (bars,) = _bars(ax)
    assert _heights(bars) == [9, 1, 3, 1, 2, 0, 0]
    assert _ticks(ax.get_xticklabels())[:2] == ["Mon", "Tue"]
    assert fig.get_label().startswith("Monday is the busiest day (9 tickets), Saturday")


def test_resolution_by_priority_draws_median_p90_and_targets() -> None:
    """Median and p90 bars per priority in its colour; targets as dashed segments."""
    fig = charts.plot_resolution_by_priority(model())
    ax = _axes(fig)
    median, p90 = _bars(ax)
    assert _heights(median) == [11.0, 8.0, 1.5, 3.0]
    assert _heights(p90) == [11.0, 8.8, 1.9, 3.8]
    colors = [to_hex(bar.get_facecolor(), keep_alpha=False) for bar in median]
    assert colors == ["#56b4e9", "#0072b2", "#e69f00", "#d55e00"]
    assert [bar.get_alpha() for bar in p90] == [0.4] * 4
    (targets,) = [c for c in ax.collections if isinstance(c, LineCollection)]
    assert [segment[0][1] for segment in targets.get_segments()] == [14, 7, 3, 1]
    assert _ticks(ax.get_xticklabels()) == PRIORITIES
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Priority", "Days to resolve")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == [
        "Median", "90th pct", "Target"
    ]  # fmt: skip
    assert fig.get_label().startswith("Median above the dashed target for Medium, ")


def test_resolution_by_priority_marks_a_priority_without_data() -> None:
    """A priority with no resolution time gets zero bars and an n/a note."""
    summary = full_summary()
    summary["resolution_time_days"]["by_priority"]["High"].update(
        count=0, mean=None, median=None, p90=None, min=None, max=None
    )
    ax = _axes(charts.plot_resolution_by_priority(model(summary)))
    assert _heights(_bars(ax)[0]) == [11.0, 8.0, 0.0, 3.0]
    notes = [text for text in ax.texts if text.get_text() == "n/a"]
    assert [note.get_position()[0] for note in notes] == [2]


def test_status_by_priority_stacks_priorities_low_first() -> None:
    """One bar per status, stacked Low to Critical in the priority colours."""
    ax = _axes(charts.plot_status_by_priority(model()))
    series = _bars(ax)
    assert [c.get_label() for c in series] == PRIORITIES
    heights = [_heights(c) for c in series]
    assert heights == [[1, 0, 0, 1], [1, 1, 2, 2], [0, 1, 1, 1], [2, 0, 3, 0]]
    tops = [bar.get_y() + bar.get_height() for bar in series[3]]
    assert tops == [4, 2, 6, 4]  # status_counts
    assert to_hex(series[3][0].get_facecolor()) == "#d55e00"
    assert _ticks(ax.get_xticklabels()) == [
        "Open",
        "In\nProgress",
        "Resolved",
        "Closed",
    ]


def test_agent_load_splits_open_work_into_past_and_within_target() -> None:
    """Past-target and within-target open tickets per agent, most open work on top."""
    fig = charts.plot_agent_load(model())
    ax = _axes(fig)
    past, within = _bars(ax)
    assert (past.get_label(), within.get_label()) == ("Past target", "Within target")
    assert [bar.get_width() for bar in past] == [3, 1, 0]
    assert [bar.get_width() for bar in within] == [0, 0, 1]
    assert _ticks(ax.get_yticklabels()) == ["Agent_Sarah", "Agent_Lee", "Agent_Mike"]
    assert ax.yaxis_inverted()
    assert _title(ax) == "Open work per agent"
    assert fig.get_label() == (
        "Agent_Sarah holds the most open work: 3 tickets, 3 past target (red)."
    )


def test_agent_load_keeps_the_top_n() -> None:
    """top_n=2 draws two agents and says how many were left out."""
    ax = _axes(charts.plot_agent_load(model(), top_n=2))
    assert [len(c) for c in _bars(ax)] == [2, 2]
    assert _ticks(ax.get_yticklabels()) == ["Agent_Sarah", "Agent_Lee"]
    assert _title(ax) == "Open work per agent (top 2 of 3)"
    with pytest.raises(ValueError, match="top_n=0"):
        charts.plot_agent_load(model(), top_n=0)


def test_backlog_aging_draws_the_six_buckets() -> None:
    """One bar per bucket with the open-ticket counts."""
    fig = charts.plot_backlog_aging(model())
    ax = _axes(fig)
    (bars,) = _bars(ax)
    assert _heights(bars) == [1, 1, 0, 1, 2, 1]
    assert _ticks(ax.get_xticklabels()) == ["0-1", "2-3", "4-7", "8-14", "15-30", "31+"]
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("Days open", "Open tickets")
    assert fig.get_label() == "1 of 6 open tickets have waited 31+ days."


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
    assert _title(ax)
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
    # sorted by open work: Sarah (3 open), then "$$" (1 open, 1 past target)
    assert _ticks(_axes(agents_fig).get_yticklabels()) == [
        MATH_NAMES[0], MATH_NAMES[2], MATH_NAMES[1]
    ]  # fmt: skip
    assert _ticks(_axes(words_fig).get_yticklabels()) == [*MATH_NAMES, "attachment"]


def test_ticket_derived_labels_are_cleaned_and_cut() -> None:
    """A newline becomes a space; a long name is cut to 30 characters."""
    summary = full_summary()
    summary["agents"][0]["agent"] = "Agent\nSarah"
    summary["agents"][2]["agent"] = "M" * 300
    labels = _ticks(_axes(charts.plot_agent_load(model(summary))).get_yticklabels())
    assert labels[:2] == ["Agent Sarah", "M" * 19 + "…"]


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


def test_only_chart_modules_import_matplotlib() -> None:
    """Only report/chart*.py import matplotlib at run time (typing-only is fine)."""
    package = Path(charts.__file__).parents[1]
    chart_modules = set(package.glob("report/chart*.py"))
    assert len(chart_modules) == 3
    offenders = [
        str(path.relative_to(package))
        for path in sorted(package.rglob("*.py"))
        if path not in chart_modules
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


# --- the SVG the report embeds ---

HOSTILE_LABELS = [
    "<script>alert(1)</script>",
    "]]><svg onload=alert(2)>",
    "--><img src=x onerror=alert(3)>",
    "&amp; \"quoted\" 'x'",
]
SVG = "{http://www.w3.org/2000/svg}"


def _svg(fig: Figure) -> ET.Element:
    """Parse a chart's SVG as the report embeds it."""
    return ET.fromstring(chart_style.svg_bytes(fig))


def test_hostile_labels_stay_text_in_the_svg() -> None:
    """Agent names and words with markup are escaped text nodes, never elements."""
    summary = full_summary()
    for agent, name in zip(summary["agents"], HOSTILE_LABELS, strict=False):
        agent["agent"] = name
    for word, name in zip(summary["top_subject_words"], HOSTILE_LABELS, strict=False):
        word["word"] = name
    for plot in (charts.plot_agent_load, charts.plot_top_words):
        raw = chart_style.svg_bytes(plot(model(summary))).decode("utf-8")
        root = ET.fromstring(raw)
        tags = {element.tag.removeprefix(SVG) for element in root.iter()}
        assert tags <= SVG_TAGS, tags - SVG_TAGS
        assert not [
            (element.tag, name)
            for element in root.iter()
            for name in element.attrib
            if name.startswith("on")
        ]
        texts = ["".join(element.itertext()) for element in root.iter(f"{SVG}text")]
        for name in HOSTILE_LABELS[:3]:
            assert chart_style.label(name) in texts, name
        assert "<script" not in raw and "<svg onload" not in raw
        assert "<img" not in raw and "-->" not in raw


#: Every element matplotlib's SVG writer uses for these charts.
SVG_TAGS = {
    "svg", "title", "metadata", "defs", "style", "g", "path", "use", "text",
    "clipPath", "rect", "tspan", "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}RDF",
    "{http://creativecommons.org/ns#}Work", "{http://purl.org/dc/elements/1.1/}type",
    "{http://purl.org/dc/elements/1.1/}title", "{http://purl.org/dc/elements/1.1/}format",
}  # fmt: skip


@pytest.mark.parametrize("plot", PLOTS, ids=lambda plot: plot.__name__)
def test_every_chart_svg_has_a_title_real_text_and_no_text_under_11pt(
    plot: Callable[[Summary], Figure],
) -> None:
    """A <title>, text as <text> (no glyph paths), every font 11 units or more.

    The figure is 345.6 units wide: at a 350 px column, 11 units are 11.1 px.
    """
    fig = plot(model())
    root = _svg(fig)
    assert root.findtext(f"{SVG}title") == chart_style.title_of(fig)
    assert root.get("viewBox", "").split()[2] == "345.6"
    sizes = [
        float(match)
        for element in root.iter()
        for match in re.findall(r"font-size: ([\d.]+)px", element.get("style", ""))
    ]
    assert sizes and min(sizes) >= 11.0, sorted(sizes)[:3]
    assert fig.get_label(), "every chart has a caption"


def test_equal_charts_give_equal_svg_files() -> None:
    """No date and salted ids: the same summary draws the same bytes."""
    first = chart_style.svg_bytes(charts.plot_weekly_volume(model()))
    again = chart_style.svg_bytes(charts.plot_weekly_volume(model()))
    assert first == again
