"""The geometry of the report's bar charts. The SVG itself is written by hand in templates/reports/pdf/chart.svg."""

from dataclasses import dataclass

from reports.statistics import Trend

WIDTH, HEIGHT = 640, 230
LEFT, RIGHT, TOP, BOTTOM = 40, 10, 28, 34
# GOV.UK blue and orange: told apart in print and by most colour-blind readers; the legend names each too.
COLOURS = ("#1d70b8", "#f47738", "#00703c")


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    colour: str
    label_x: float
    label_y: float


@dataclass(frozen=True)
class Tick:
    y: float
    label: str


@dataclass(frozen=True)
class AxisLabel:
    x: float
    label: str


@dataclass(frozen=True)
class LegendItem:
    x: float
    colour: str
    name: str


@dataclass(frozen=True)
class BarChart:
    title: str
    width: int
    height: int
    plot_left: int
    plot_right: int
    plot_top: int
    plot_bottom: int
    bars: list[Bar]
    ticks: list[Tick]
    months: list[AxisLabel]
    legend: list[LegendItem]


def nice_step(highest: int, most_ticks: int = 5) -> int:
    """The smallest of 1, 2, 5, 10, 20, 50… that divides 0..highest into at most `most_ticks` steps."""
    step = 1
    while True:
        for factor in (1, 2, 5):
            if highest <= step * factor * most_ticks:
                return step * factor
        step *= 10


def bar_chart(trend: Trend) -> BarChart:
    highest = max((value for series in trend.series for value in series.values), default=0)
    step = nice_step(max(highest, 1))
    top_value = step * max(1, -(-highest // step))
    plot_width = WIDTH - LEFT - RIGHT
    plot_height = HEIGHT - TOP - BOTTOM
    plot_bottom = HEIGHT - BOTTOM

    def y_of(value: int) -> float:
        return plot_bottom - plot_height * value / top_value

    group_width = plot_width / len(trend.months)
    bar_width = group_width * 0.76 / len(trend.series)
    bars = []
    for index, series in enumerate(trend.series):
        colour = COLOURS[index % len(COLOURS)]
        for month_index, value in enumerate(series.values):
            x = LEFT + month_index * group_width + group_width * 0.12 + index * bar_width
            y = y_of(value)
            bars.append(Bar(
                x=round(x, 1), y=round(y, 1), width=round(bar_width, 1), height=round(plot_bottom - y, 1), value=value,
                colour=colour, label_x=round(x + bar_width / 2, 1), label_y=round(y - 2, 1),
            ))
    ticks = [Tick(y=round(y_of(value), 1), label=str(value)) for value in range(0, top_value + 1, step)]
    months = [AxisLabel(x=round(LEFT + (i + 0.5) * group_width, 1), label=label) for i, label in enumerate(trend.month_labels)]
    legend = [LegendItem(x=LEFT + i * 170, colour=COLOURS[i % len(COLOURS)], name=series.name) for i, series in enumerate(trend.series)]
    return BarChart(
        title=trend.title, width=WIDTH, height=HEIGHT, plot_left=LEFT, plot_right=WIDTH - RIGHT, plot_top=TOP,
        plot_bottom=plot_bottom, bars=bars, ticks=ticks, months=months, legend=legend,
    )
