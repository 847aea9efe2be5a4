"""The dashboard chart: summed totals per success band, as an SVG drawn by matplotlib.

Only `matplotlib.figure.Figure` objects are used (no pyplot, no global
figure state), so rendering is safe in threaded app servers. The SVG is cached
in Django's cache under a hash of everything drawn, so unchanged figures are
never drawn twice, in this process or any other sharing the cache.
"""

import hashlib
import io
import json
import re

import matplotlib
from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from crm.formatting import format_money

# Text stays text in the SVG (small, searchable, read by screen readers that
# open the image); ids are stable so the same figures give the same bytes.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "relance-prospection"

CACHE_VERSION = 2  # 2: drawn without constrained layout
CACHE_SECONDS = 24 * 3600
COLORS = ["#c6dbef", "#9ecae1", "#6baed6", "#2f7ab9", "#1f4e79"]
FONT = 16


def plain(text) -> str:
    """User text drawn as typed: never TeX, never mathtext (a `$` pair would start it)."""
    return str(text).replace("$", r"\$")


def whole_money(amount, language: str) -> str:
    """An axis tick: 200 000 $ / $200,000 (cents only when the tick has some)."""
    return re.sub(r"[.,]00(?=\D*$)", "", format_money(round(amount, 2), language=language))


def cache_key(figures: dict, subtitle: str, language: str) -> str:
    return drawn_key("band-chart", figures["bands"], subtitle, language)


def drawn_key(name: str, bars: list[dict], subtitle: str, language: str) -> str:
    """A key naming everything a chart draws: bars ({"label", "count", "total"}), subtitle, language, currency."""
    drawn = {
        "v": CACHE_VERSION,
        "language": language,
        "currency": settings.CRM_CURRENCY,
        "subtitle": subtitle,
        "bands": [[bar["label"], bar["count"], str(bar["total"])] for bar in bars],
    }
    digest = hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest()
    return f"prospection:{name}:{digest}"


def alt_text(figures: dict) -> str:
    """The chart in words, for the <img alt>."""
    parts = [
        _("%(band)s: %(total)s (%(count)s)") % {
            "band": band["label"],
            "total": format_money(band["total"]),
            "count": ngettext("%(n)d opportunity", "%(n)d opportunities", band["count"]) % {"n": band["count"]},
        }
        for band in figures["bands"]
    ]
    return _("Summed totals per success band — %(bands)s.") % {"bands": "; ".join(parts)}


def bars_alt_text(title: str, bars: list[dict]) -> str:
    """A chart of bars ({"label", "count", "total"}) in words, for the <img alt>."""
    parts = [
        _("%(band)s: %(total)s (%(count)s)") % {
            "band": bar["label"],
            "total": format_money(bar["total"]),
            "count": ngettext("%(n)d opportunity", "%(n)d opportunities", bar["count"]) % {"n": bar["count"]},
        }
        for bar in bars
    ]
    return _("%(chart)s — %(bars)s.") % {"chart": title, "bars": "; ".join(parts)}


# The figure, in inches: 1000 × 560 px at 100 dpi.
WIDTH, HEIGHT, DPI = 10, 5.6, 100
# Widths of DejaVu Sans (matplotlib's default font) glyphs in ems: digits, letters and "$"
# are about 0.64, spaces and punctuation about 0.32. Enough to size the margin of the
# money ticks without asking matplotlib to measure them.
NARROW = set(" \u00a0\u202f,.-'")


def text_inches(text: str, size: float) -> float:
    return sum(0.32 if char in NARROW else 0.64 for char in text) * size / 72


def render_band_chart(figures: dict, *, subtitle: str, language: str) -> bytes:
    """The success-band chart: summed totals per band, labelled with money and counts."""
    return render_bar_chart(
        [plain(band["label"]) for band in figures["bands"]], figures["bands"], colors=COLORS,
        title=_("Summed totals per success band"), x_title=_("Success %"), subtitle=subtitle, language=language,
        empty=not figures["count"],
    )


def render_bar_chart(labels: list[str], bars: list[dict], *, colors, title: str, x_title: str, subtitle: str,
                     language: str, empty: bool, tick_size: float = FONT) -> bytes:
    """Draw a bar chart (20–40 ms of CPU): bars of summed totals ({"total", "count"}), labelled with money and counts.

    The layout is computed here, not by matplotlib: a constrained or tight
    layout measures every text by drawing the figure more than once, which
    was most of the time. Axis titles are figure texts at fixed places, the
    ticks are fixed, and the left margin follows the longest money tick.
    """
    totals = [float(bar["total"]) for bar in bars]
    top = max([*totals, 0])
    bottom = min([*totals, 0])
    span = (top - bottom) or 1
    # Many bars are narrow: their labels stand upright above them, with more room on top.
    upright = len(bars) > 6
    low, high = bottom - (0.05 * span if bottom < 0 else 0), top + 0.22 * span
    if upright:  # room above the tallest bar for its label standing up (the plot is about 3.9 in tall)
        longest = max(text_inches(f"{format_money(bar['total'], language=language)} · 99 opp.", FONT - 5)
                      for bar in bars) + 0.15
        high = top + max(top - low, span) * longest / max(3.9 - longest, 1.0)  # span: all bars may be 0
    ticks = [tick for tick in MaxNLocator(nbins=6, steps=[1, 2, 2.5, 5, 10]).tick_values(low, high)
             if low <= tick <= high]
    tick_labels = [plain(whole_money(tick, language)) for tick in ticks]

    # Margins in inches: y-axis title, tick labels, ticks | plot | 0.2 in.
    left = 0.38 + max(text_inches(label, FONT) for label in tick_labels) + 0.12
    header = 0.95 if subtitle else 0.7
    footer = 0.75 if "\n" not in "".join(labels) else 1.0
    figure = Figure(figsize=(WIDTH, HEIGHT), dpi=DPI)
    FigureCanvasSVG(figure)
    figure.subplots_adjust(left=left / WIDTH, right=1 - 0.2 / WIDTH, bottom=footer / HEIGHT, top=1 - header / HEIGHT)
    axes = figure.add_subplot()
    positions = range(len(bars))
    drawn = axes.bar(positions, totals, width=0.8, color=colors, edgecolor="#1f4e79", linewidth=1.2)
    axes.set_xlim(-0.6, len(bars) - 0.4)
    axes.set_ylim(low, high)
    axes.set_xticks(positions, labels)
    axes.set_yticks(ticks, tick_labels)
    axes.tick_params(labelsize=FONT)
    axes.tick_params(axis="x", labelsize=tick_size)
    axes.spines[["top", "right"]].set_visible(False)
    axes.axhline(0, color="#333333", linewidth=1)
    axes.yaxis.grid(True, color="#dddddd")
    axes.set_axisbelow(True)

    plot_left = left / WIDTH
    room = WIDTH * (1 - plot_left) - 0.2
    title_size = min(FONT + 4, (FONT + 4) * room / text_inches(title, FONT + 4))
    figure.text(plot_left, 1 - 0.12 / HEIGHT, plain(title), fontsize=title_size,
                fontweight="bold", va="top", usetex=False)
    if subtitle:
        # Many filters make a long line: smaller type rather than a cut (the estimate errs wide).
        size = max(9.0, min(FONT - 2, (FONT - 2) * room / text_inches(subtitle, FONT - 2)))
        figure.text(plot_left, 1 - 0.5 / HEIGHT, plain(subtitle), fontsize=size, color="#444444", va="top",
                    usetex=False)
    figure.text((plot_left + 1 - 0.2 / WIDTH) / 2, 0.08 / HEIGHT, plain(x_title), fontsize=FONT,
                ha="center", va="bottom", usetex=False)
    figure.text(0.08 / WIDTH, (footer / HEIGHT + 1 - header / HEIGHT) / 2, plain(_("Total")), fontsize=FONT,
                rotation=90, ha="left", va="center", usetex=False)

    # A bar's label is sized to its bar: big amounts are long, many bars are narrow.
    longest = max(len(format_money(bar["total"], language=language)) for bar in bars)
    label_size = FONT - 1 if longest <= 14 else FONT - 4
    for rectangle, bar in zip(drawn, bars):
        count = ngettext("%(n)d opp.", "%(n)d opp.", bar["count"]) % {"n": bar["count"]}
        if upright:
            if not bar["count"]:
                continue
            axes.text(
                rectangle.get_x() + rectangle.get_width() / 2, max(rectangle.get_height(), 0) + 0.015 * span,
                plain(f"{format_money(bar['total'], language=language)} · {count}"), rotation=90,
                ha="center", va="bottom", fontsize=FONT - 5, fontweight="bold", usetex=False,
                color="#a61b29" if bar["total"] < 0 else "#111111",
            )
            continue
        text = plain(f"{format_money(bar['total'], language=language)}\n{count}")
        # Above the bar, or above the zero line for a negative total (costs above value).
        axes.text(
            rectangle.get_x() + rectangle.get_width() / 2, max(rectangle.get_height(), 0) + 0.015 * span, text,
            ha="center", va="bottom", fontsize=label_size, fontweight="bold", usetex=False,
            color="#a61b29" if bar["total"] < 0 else "#111111",
        )
    if empty:
        axes.text(0.5, 0.5, plain(_("No opportunity matches these filters.")), transform=axes.transAxes,
                  ha="center", va="center", fontsize=FONT, color="#666666", usetex=False)

    output = io.BytesIO()
    figure.savefig(output, format="svg", metadata={"Date": None})
    return output.getvalue()


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def cached_svg(key: str, draw) -> bytes:
    """The SVG cached under `key` (a hash of everything drawn), drawn by `draw()` only when missing."""
    svg = cache.get(key)
    if svg is None:
        svg = draw()
        cache.set(key, svg, CACHE_SECONDS)
    return svg


def svg_response(request, key: str, draw):
    """The SVG with an ETag from its cache key: 304 when the browser holds it, drawn only when never drawn."""
    etag = '"%s"' % key.rsplit(":", 1)[1]
    if etag in request.headers.get("If-None-Match", ""):
        return HttpResponseNotModified(headers={"ETag": etag})
    response = HttpResponse(cached_svg(key, draw), content_type="image/svg+xml")
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


def band_chart_svg(figures: dict, *, subtitle: str = "") -> bytes:
    """The chart's SVG from the cache, drawn only when these figures were never drawn."""
    language = current_language()
    return cached_svg(cache_key(figures, subtitle, language),
                      lambda: render_band_chart(figures, subtitle=subtitle, language=language))
