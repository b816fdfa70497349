"""The charts' one look: palette, sizes, fonts, helpers, and the SVG they are saved as.

Colours are Okabe-Ito's colour-blind-safe set. Each priority has one colour in
every chart and is drawn Low to Critical; each series (created, resolved, open
backlog, past target) has one colour too. Figures are 4.8 in (345.6 pt) wide
with text of at least 11 pt: shown at the width of a phone's column (about
350 CSS px) the smallest text is still 11 px tall, and on a wide screen two
charts sit side by side at about the body text's size.

Each figure's label (``fig.get_label()``) is its caption: one line saying what
to see. Every chart module imports matplotlib; nothing else in the package does.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable, Iterable
from typing import Any, Final, ParamSpec, TypeVar

import matplotlib
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from ticket_analysis.report.text_layout import clean, truncate

#: Longest tick label drawn for a ticket-derived value, in characters.
LABEL_WIDTH: Final = 20
#: The note drawn instead of a chart when there is nothing to plot.
NO_DATA: Final = "No data"
#: Figure width in inches (points / 72): the phone-sized design width.
WIDTH_IN: Final = 4.8
#: Default figure height in inches.
HEIGHT_IN: Final = 3.4
#: The smallest font size used in a chart, in points (SVG user units).
MIN_FONT_PT: Final = 11.0

# Okabe-Ito.
ORANGE: Final = "#E69F00"
SKY_BLUE: Final = "#56B4E9"
GREEN: Final = "#009E73"
BLUE: Final = "#0072B2"
VERMILLION: Final = "#D55E00"
PURPLE: Final = "#CC79A7"
GREY: Final = "#7F7F7F"
INK: Final = "#1F2D3D"

#: One colour per priority, Low to Critical, in every chart.
PRIORITY_COLORS: Final = {
    "Low": SKY_BLUE,
    "Medium": BLUE,
    "High": ORANGE,
    "Critical": VERMILLION,
}
#: One colour per series.
CREATED: Final = BLUE
RESOLVED: Final = GREEN
BACKLOG: Final = ORANGE
PAST_TARGET: Final = VERMILLION

_RC: Final[dict[str, Any]] = {
    "font.family": "sans-serif",  # DejaVu Sans, named with fallbacks in the SVG
    "font.size": MIN_FONT_PT,
    "axes.titlesize": 12.5,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": MIN_FONT_PT,
    "axes.edgecolor": "#8A94A3",
    "axes.labelcolor": INK,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "axes.grid.axis": "y",
    "axes.axisbelow": True,
    "grid.color": "#E3E7ED",
    "xtick.labelsize": MIN_FONT_PT,
    "ytick.labelsize": MIN_FONT_PT,
    "xtick.color": INK,
    "ytick.color": INK,
    "legend.fontsize": MIN_FONT_PT,
    "legend.frameon": False,
    "text.color": INK,
    "text.usetex": False,
    "svg.fonttype": "none",  # real text: small files, no font embedded
    "svg.hashsalt": "ticket-analysis",  # stable ids: equal charts, equal files
}

P = ParamSpec("P")
R = TypeVar("R")


def styled(plot: Callable[P, R]) -> Callable[P, R]:
    """Draw a chart with the house style (fonts, grid, spines)."""

    @functools.wraps(plot)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
            return plot(*args, **kwargs)

    return wrapper


def new_figure(
    title: str,
    xlabel: str,
    ylabel: str,
    *,
    caption: str,
    height: float = HEIGHT_IN,
    margins: tuple[float, float, float, float] = (0.62, 0.15, 0.7, 0.66),
) -> tuple[Figure, Axes]:
    """Create a figure with one titled, labelled axes; its label is the caption.

    ``margins`` are left, right, bottom and top in inches (room for tick labels,
    axis labels, the title and a legend above the axes). Fixed margins draw the
    figure once; a layout engine would draw it twice.
    """
    fig = Figure(figsize=(WIDTH_IN, height))
    left, right, bottom, top = margins
    fig.subplots_adjust(
        left=left / WIDTH_IN,
        right=1 - right / WIDTH_IN,
        bottom=bottom / height,
        top=1 - top / height,
    )
    fig.set_label(caption)
    ax = fig.subplots()
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return fig, ax


def label_margin(labels: list[str]) -> float:
    """Left margin in inches for horizontal bars labelled ``labels``."""
    longest = max((len(text) for text in labels), default=4)
    return 0.25 + longest * MIN_FONT_PT * 0.62 / 72


def rows_height(rows: int) -> float:
    """Height in inches for a horizontal bar chart of ``rows`` bars."""
    return max(HEIGHT_IN, 0.32 * rows + 1.6)


def no_data(fig: Figure, ax: Axes) -> Figure:
    """Replace the chart with a centred "No data" note."""
    ax.text(
        0.5,
        0.5,
        NO_DATA,
        transform=ax.transAxes,
        ha="center",
        va="center",
        fontsize=14,
        color=GREY,
    )
    ax.set_xticks([])
    ax.set_yticks([])
    ax.grid(False)
    fig.set_label("Nothing to draw for this report.")
    return fig


def legend(ax: Axes, columns: int = 3, handles: list[Any] | None = None) -> None:
    """Put the legend above the axes in one row, so it never hides data.

    ``handles`` default to the axes' labelled artists.
    """
    if handles is None:
        handles = ax.get_legend_handles_labels()[0]
    ax.legend(
        handles=handles,
        loc="lower left",
        bbox_to_anchor=(0.0, 1.0),
        ncols=columns,
        borderaxespad=0.2,
        handlelength=1.4,
        columnspacing=1.0,
    )
    ax.set_title(ax.get_title(loc="left"), loc="left", pad=26)


def plain(texts: Iterable[Text]) -> None:
    """Draw texts literally: no mathtext (``$...$``) and no LaTeX."""
    for text in texts:
        text.set_parse_math(False)
        text.set_usetex(False)


def label(value: object) -> str:
    """Clean a ticket-derived value for one tick label and cut it to length."""
    return truncate(clean(value), LABEL_WIDTH) or "n/a"


def count_axis(axis: Any) -> None:
    """Put only whole-number ticks on a count axis."""
    axis.set_major_locator(MaxNLocator(integer=True, nbins=5))


def title_of(fig: Figure) -> str:
    """Return the title of a figure's first axes (``"Chart"`` without one)."""
    if fig.axes and fig.axes[0].get_title(loc="left"):
        return str(fig.axes[0].get_title(loc="left"))
    if fig.axes and fig.axes[0].get_title():
        return str(fig.axes[0].get_title())
    return "Chart"


def svg_bytes(fig: Figure, *, title: str = "") -> bytes:
    """Save a figure as a small, stable SVG document with a ``<title>``.

    Text stays text (``svg.fonttype`` none) and every special character is
    escaped by matplotlib's SVG writer; no date is written, so equal charts give
    equal files.
    """
    buffer = io.BytesIO()
    with matplotlib.rc_context(_RC):  # type: ignore[arg-type]
        fig.savefig(
            buffer,
            format="svg",
            facecolor="white",
            metadata={"Title": title or title_of(fig), "Date": None, "Creator": None},
        )
    return buffer.getvalue()
