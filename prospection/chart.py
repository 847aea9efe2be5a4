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
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from crm.formatting import format_money

# Text stays text in the SVG (small, searchable, read by screen readers that
# open the image); ids are stable so the same figures give the same bytes.
matplotlib.rcParams["svg.fonttype"] = "none"
matplotlib.rcParams["svg.hashsalt"] = "relance-prospection"

CACHE_VERSION = 1
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
    drawn = {
        "v": CACHE_VERSION,
        "language": language,
        "currency": settings.CRM_CURRENCY,
        "subtitle": subtitle,
        "bands": [[band["label"], band["count"], str(band["total"])] for band in figures["bands"]],
    }
    digest = hashlib.sha256(json.dumps(drawn, sort_keys=True).encode()).hexdigest()
    return f"prospection:band-chart:{digest}"


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


def render_band_chart(figures: dict, *, subtitle: str, language: str) -> bytes:
    """Draw the chart (a few hundred milliseconds, hence the cache): bars of summed totals, labelled with money and counts."""
    bands = figures["bands"]
    labels = [plain(band["label"]) for band in bands]
    totals = [float(band["total"]) for band in bands]

    figure = Figure(figsize=(10, 5.6), dpi=100, layout="constrained")
    FigureCanvasSVG(figure)
    axes = figure.add_subplot()
    bars = axes.bar(labels, totals, color=COLORS, edgecolor="#1f4e79", linewidth=1.2)
    axes.set_title(plain(_("Summed totals per success band")), fontsize=FONT + 4, loc="left",
                   fontweight="bold", usetex=False, pad=14 if not subtitle else 30)
    if subtitle:
        axes.text(0, 1.02, plain(subtitle), transform=axes.transAxes, fontsize=FONT - 2,
                  color="#444444", usetex=False)
    axes.set_xlabel(plain(_("Success %")), fontsize=FONT, usetex=False)
    axes.set_ylabel(plain(_("Total")), fontsize=FONT, usetex=False)
    axes.tick_params(labelsize=FONT)
    axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _pos: plain(whole_money(y, language))))
    axes.spines[["top", "right"]].set_visible(False)
    axes.axhline(0, color="#333333", linewidth=1)
    axes.grid(axis="y", color="#dddddd")
    axes.set_axisbelow(True)

    top = max([*totals, 0])
    bottom = min([*totals, 0])
    span = (top - bottom) or 1
    axes.set_ylim(bottom - (0.05 * span if bottom < 0 else 0), top + 0.22 * span)
    for bar, band in zip(bars, bands):
        count = ngettext("%(n)d opp.", "%(n)d opp.", band["count"]) % {"n": band["count"]}
        text = plain(f"{format_money(band['total'], language=language)}\n{count}")
        # Above the bar, or above the zero line for a negative total (costs above value).
        axes.annotate(
            text, (bar.get_x() + bar.get_width() / 2, max(bar.get_height(), 0)),
            xytext=(0, 6), textcoords="offset points", ha="center", va="bottom",
            fontsize=FONT - 1, fontweight="bold", usetex=False,
            color="#a61b29" if band["total"] < 0 else "#111111",
        )
    if not figures["count"]:
        axes.text(0.5, 0.5, plain(_("No opportunity matches these filters.")), transform=axes.transAxes,
                  ha="center", va="center", fontsize=FONT, color="#666666", usetex=False)

    output = io.BytesIO()
    figure.savefig(output, format="svg", metadata={"Date": None})
    return output.getvalue()


def current_language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def band_chart_svg(figures: dict, *, subtitle: str = "") -> bytes:
    """The chart's SVG from the cache, drawn only when these figures were never drawn."""
    language = current_language()
    key = cache_key(figures, subtitle, language)
    svg = cache.get(key)
    if svg is None:
        svg = render_band_chart(figures, subtitle=subtitle, language=language)
        cache.set(key, svg, CACHE_SECONDS)
    return svg
