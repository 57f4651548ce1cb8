"""Altair chart builders (no Streamlit): French labels, colour-blind-safe palettes, tooltips."""

from __future__ import annotations

import math

import altair as alt
import pandas as pd

from explorer import catalog
from explorer.formatting import fr_value

# Okabe-Ito palette: distinguishable with the common colour-vision deficiencies.
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00", "#56B4E9", "#F0E442", "#000000"]
OPERATOR_COLOURS = {
    "CNAF": "#0072B2", "CNAM": "#E69F00", "CNAV": "#009E73", "MSA": "#CC79A7", "Pôle emploi": "#D55E00",
}
CHANNEL_COLOURS = {
    "Accueil physique": "#E69F00", "Téléphone": "#56B4E9", "Courriel": "#009E73",
    "Site internet": "#0072B2", "Application mobile": "#CC79A7", "Courrier": "#D55E00",
    "Bornes et postes en libre-service": "#000000",
}
# Shapes repeat the colour information, so nothing is conveyed by colour alone.
SHAPES = ["circle", "square", "triangle-up", "diamond", "cross", "triangle-down", "triangle-left", "stroke"]

DIMENSION_LABELS = {
    "year": "Année", "channel": "Canal", "operator": "Opérateur", "site_type": "Type de site",
    "benefit": "Prestation", "procedure": "Démarche", "age_group": "Âge", "region": "Région",
    "indicator": "Indicateur", "population": "Population", "measure": "Mesure", "bound": "Borne",
    "departement": "Département", "caisse": "Caisse", "month": "Mois", "item": "Élément",
    "reason": "Motif", "service": "Service", "category": "Catégorie", "status": "Statut",
    "value": "Valeur", "unit": "Unité", "note": "Note", "dataset_id": "Jeu de données",
    "share_pct": "Part (%)", "contacts_count": "Contacts", "index_value": "Indice", "base_year": "Année de base",
    "sites_count": "Lieux", "satisfied_pct": "Satisfaits (%)", "detail": "Détail", "block": "Bloc",
    "action": "Action", "activity": "Activité", "answer": "Réponse", "benefit_domain": "Domaine",
    "breakdown": "Détail", "caf": "CAF", "call_type": "Type d'appel", "carsat": "CARSAT", "cause": "Cause",
    "consent": "Consentement", "contact_type": "Type de contact", "cpam": "CPAM", "csp": "Catégorie sociale",
    "date": "Date", "department": "Département", "device": "Équipement", "direction": "Sens",
    "document_type": "Type de document", "domain": "Domaine", "equipment": "Équipement",
    "feature": "Fonctionnalité", "flow": "Flux", "form": "Formulaire", "funder": "Financeur",
    "group": "Groupe", "job_group": "Métier", "library": "Bibliothèque", "nps_zone": "Zone NPS",
    "organisation": "Organisme", "outcome": "Issue", "outreach_mode": "Mode d'« aller vers »",
    "period": "Période", "place_type": "Type de lieu", "profile": "Profil", "rank": "Rang",
    "rank_group": "Groupe de rang", "response": "Réponse", "scope": "Périmètre", "series": "Série",
    "site": "Site", "site_class": "Classe de site", "source": "Source", "staff_category": "Catégorie de personnel",
    "step": "Étape", "structure_type": "Type de structure", "teleservice": "Téléservice",
    "territory": "Territoire", "theme": "Thème", "threshold": "Seuil", "time_slot": "Plage horaire",
    "user_group": "Groupe d'usagers", "kind": "Nature de la mesure",
}
# Vega expression for French axis numbers: 1 234,5
FR_AXIS = "replace(replace(format(datum.value, ',.4~f'), regexp(',', 'g'), '\u00a0'), '.', ',')"
# The same, with a million or more in words as formatting.fr_words says them: 2 millions, 1,5 milliard.
FR_AXIS_WORDS = (
    "abs(datum.value) >= 1e9 ? replace(format(datum.value / 1e9, '.3~f'), '.', ',') + "
    "(abs(datum.value) < 2e9 ? '\u00a0milliard' : '\u00a0milliards') : "
    "abs(datum.value) >= 1e6 ? replace(format(datum.value / 1e6, '.3~f'), '.', ',') + "
    "(abs(datum.value) < 2e6 ? '\u00a0million' : '\u00a0millions') : " + FR_AXIS)
# How some dimension values read on screen (the CSVs keep short codes).
VALUE_LABELS = {"bound": {"valeur": "Valeur publiée", "min": "Borne basse", "max": "Borne haute"}}

# Chart text sizes (px) through the Vega-Lite config, not CSS: normal and presentation mode
# (a 1280x720 shared screen; issue 11).
FONT_SIZE_PX = {False: 12, True: 18}


def label(column: str) -> str:
    """The French axis/legend title of a column."""
    return DIMENSION_LABELS.get(column, column.replace("_", " ").capitalize())


def display_values(frame: pd.DataFrame) -> pd.DataFrame:
    """`frame` with coded dimension values in words (bound: valeur/min/max → Valeur publiée...)."""
    frame = frame.copy()
    for column, labels in VALUE_LABELS.items():
        if column in frame.columns:
            frame[column] = frame[column].map(lambda v: labels.get(v, v))
    return frame


def log_ticks(values) -> list[float]:
    """1-2-5 ticks (…, 100 000, 200 000, 500 000, 1 million, …) covering the positive `values`."""
    positive = [float(v) for v in values if v is not None and float(v) > 0]
    if not positive:
        return []
    low, high = math.floor(math.log10(min(positive))), math.ceil(math.log10(max(positive)))
    ticks = [m * 10 ** e for e in range(low, high + 1) for m in (1, 2, 5)]
    inside = [t for t in ticks if min(positive) <= t <= max(positive)]
    # One tick each side of the data, so that every mark lies between two labelled values.
    below = [t for t in ticks if t < min(positive)][-1:]
    above = [t for t in ticks if t > max(positive)][:1]
    return below + inside + above


def configure(spec: dict, presentation: bool = False) -> dict:
    """A chart spec ready to draw: text sizes for the screen or a presentation, no English menu.

    The sizes go through the Vega-Lite config (axes, legends, titles, headers, value labels),
    so they apply inside the chart and its exports. The vega-embed action menu (English, and
    focusable while invisible) is switched off: the page offers CSV, SVG and PNG downloads.
    """
    size = FONT_SIZE_PX[presentation]
    text = {"labelFontSize": size, "titleFontSize": size + 1}
    config = {
        "axis": {**text, "labelLimit": 0 if presentation else 320, "titlePadding": 10},
        # The last tick label of a value axis stays inside the chart instead of past its edge.
        "axisQuantitative": {"labelFlush": True},
        "legend": {**text, "labelLimit": 0, "symbolSize": 120 if presentation else 80},
        "header": text,
        "title": {"fontSize": size + 4, "subtitleFontSize": size},
        "text": {"fontSize": size - 1},
    }
    spec = dict(spec)
    # Width fits the page, height is the chart's own: with "fit" (Streamlit's default) the
    # legends under a chart would take their room from the plot.
    # (A faceted chart cannot fit: it keeps its panels' fixed width.)
    if not any(k in spec for k in ("facet", "vconcat", "hconcat", "concat")):
        spec["autosize"] = {"type": "fit-x", "contains": "padding"}
    spec["config"] = {**spec.get("config", {}), **config}
    # Room for the glyphs of a rotated axis title at the left edge. An object, not a number:
    # Streamlit's chart element sets padding.bottom itself and fails on a number.
    spec["padding"] = {"left": 6, "right": 6, "top": 6, "bottom": 6}
    spec["usermeta"] = {**spec.get("usermeta", {}), "embedOptions": {"actions": False}}
    return spec


def scale_for(column: str, values: list[str]) -> alt.Scale:
    """A fixed colour per operator and channel across the app; Okabe-Ito otherwise."""
    fixed = {"operator": OPERATOR_COLOURS, "channel": CHANNEL_COLOURS}.get(column, {})
    if fixed and all(v in fixed for v in values):
        return alt.Scale(domain=values, range=[fixed[v] for v in values])
    return alt.Scale(domain=values, range=[OKABE_ITO[i % len(OKABE_ITO)] for i in range(len(values))])


def with_text_values(frame: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Adds `valeur`, the value formatted in French with its unit, for tooltips."""
    frame = frame.copy()
    units = frame["unit"] if "unit" in frame.columns else pd.Series(unit, index=frame.index)
    frame["valeur"] = [fr_value(v, u) for v, u in zip(frame["value"], units)]
    return frame


def plan(frame: pd.DataFrame) -> tuple[str, list[str], list[str]]:
    """How to draw a dataset: (axis dimension, series dimensions, dimensions to filter on).

    The axis is time when a time dimension varies, else the dimension with the most values; at
    most one series dimension (the one with the fewest values); any other varying dimension is
    left for the reader to fix with a filter, so a chart never mixes more than two dimensions.
    """
    dims = catalog.dimensions(frame)
    varying = [d for d in dims if frame[d].nunique() > 1] or dims[:1]
    timeline = time_axis([d for d in varying if frame[d].nunique() >= MIN_TIME_POINTS])
    axis = timeline or max(varying, key=lambda d: frame[d].nunique())
    rest = sorted((d for d in varying if d != axis), key=lambda d: frame[d].nunique())
    if rest and (frame[axis].nunique() * frame[rest[0]].nunique() > MAX_MARKS
                 or _magnitude_ratio(frame, rest[0]) > MAX_SCALE_RATIO):
        return axis, [], rest
    return axis, rest[:1], rest[1:]


MAX_MARKS = 80  # bars or points beyond which a grouped chart is unreadable: filter instead
MAX_SCALE_RATIO = 100  # series this far apart in size (structures vs visitors) share no useful axis
MIN_TIME_POINTS = 3  # two dates (2015 vs 2018) read better as paired bars than as lines


def dataset_chart(frame: pd.DataFrame, unit: str, title: str = "", breaks: tuple = ()) -> alt.Chart:
    """A chart of a tidy report dataset (narrowed by `plan`'s filters): lines over time, else bars.

    `breaks`: (year, label) pairs of series breaks (catalog.breaks_in), marked on a time axis.
    """
    axis, series, _ = plan(frame)
    frame = with_text_values(display_values(frame.dropna(subset=["value"])), unit)
    dims = catalog.dimensions(frame.drop(columns=["valeur"]))
    tooltip = [alt.Tooltip(f"{d}:N", title=label(d)) for d in dims] + [
        alt.Tooltip("valeur:N", title="Valeur")]
    y_title = "Note sur 10" if unit == "score" else catalog.UNITS.get(unit, unit).capitalize()
    value_axis = alt.Axis(labelExpr=FR_AXIS_WORDS, title=y_title)
    if time_axis([axis]) and frame[axis].nunique() >= MIN_TIME_POINTS:
        # Scores move within a few tenths of a mark: a zero-based axis would flatten them.
        scale = alt.Scale(zero=False) if unit == "score" else alt.Scale()
        chart = line_chart(frame, axis, series, value_axis, tooltip, title, scale)
        return with_breaks(chart, breaks, axis, _time_order(frame[axis])) if axis == "year" else chart
    return bar_chart(frame, [axis, *series], value_axis, tooltip, title)


def with_breaks(chart: alt.Chart, breaks: tuple, x: str = "year", order: list | None = None) -> alt.Chart:
    """`chart` with a dashed rule and a label at each series break year (x axis of years);
    `breaks` as made by break_labels."""
    if not breaks:
        return chart
    marks = pd.DataFrame({x: [year for year, _, _ in breaks], "rupture": [text for _, _, text in breaks]})
    position = alt.X(f"{x}:O", sort=order)
    rule = alt.Chart(marks).mark_rule(color=BREAK_COLOUR, strokeDash=[6, 3], strokeWidth=2).encode(
        x=position, tooltip=[alt.Tooltip("rupture:N", title="Rupture de série")])
    text = alt.Chart(marks).mark_text(align="left", baseline="top", dx=5, dy=2, color=BREAK_COLOUR,
                                      fontWeight="bold").encode(x=position, y=alt.value(0), text="rupture:N")
    # A layer takes no height from its layers in Streamlit: the chart's own height is kept.
    return alt.layer(chart, rule, text).properties(height=chart.height)


BREAK_COLOUR = "#A3004A"  # dark magenta: not one of the series colours, 7:1 contrast on white


def break_labels(breaks) -> tuple:
    """(year, series, « Rupture de série : <series> ») for chart builders, from catalog.SeriesBreak
    (a hashable tuple: chart specs are cached on their arguments)."""
    return tuple((b.year, b.series, f"Rupture de série : {b.series.lower()}") for b in breaks)


TIME_DIMENSIONS = ("month", "year", "date", "period")  # preferred x axis first: months within years


def time_axis(dimensions: list[str]) -> str | None:
    """The dimension to put on a line chart's x axis, if any varies over time."""
    for prefix in TIME_DIMENSIONS:
        for d in dimensions:
            if d.startswith(prefix):
                return d
    return None


def line_chart(frame, x: str, series: list[str], value_axis, tooltip, title="", scale=None) -> alt.Chart:
    """Values over years, one line per series (colour + point shape)."""
    frame = frame.copy()
    frame["série"] = _series_label(frame, series)
    values = list(dict.fromkeys(frame["série"]))
    key = series[0] if len(series) == 1 else "série"
    encode = dict(
        x=alt.X(f"{x}:O", title=label(x), sort=_time_order(frame[x]),
                   axis=alt.Axis(labelAngle=0 if x.startswith("year") else -40)),
        y=alt.Y("value:Q", axis=value_axis, scale=scale or alt.Scale()),
        tooltip=tooltip,
    )
    if series:
        legend = alt.Legend(title=label(key) if key != "série" else "Série", orient="bottom", columns=2)
        encode["color"] = alt.Color("série:N", scale=scale_for(key, values), legend=legend,
                                    sort=values)
        encode["shape"] = alt.Shape("série:N", scale=alt.Scale(domain=values, range=_shapes(values)),
                                    legend=legend, sort=values)
    return (alt.Chart(frame, title=title).mark_line(point=alt.OverlayMarkDef(size=70))
            .encode(**encode).properties(height=360))


def bar_chart(frame, dims: list[str], value_axis, tooltip, title="") -> alt.Chart:
    """Horizontal bars by the first dimension, grouped by the next one when there is one."""
    frame = frame.copy()
    category, rest = dims[0], dims[1:]
    order = list(dict.fromkeys(frame[category]))
    encode = dict(
        y=alt.Y(f"{category}:N", title=label(category), sort=order),
        x=alt.X("value:Q", axis=value_axis, scale=_room_for_labels(frame["value"])),
        tooltip=tooltip,
    )
    if rest:
        frame["série"] = _series_label(frame, rest)
        values = list(dict.fromkeys(frame["série"]))
        key = rest[0] if len(rest) == 1 else "série"
        encode["color"] = alt.Color("série:N", scale=scale_for(key, values), sort=values,
                                    legend=alt.Legend(title=label(key) if key != "série" else "Série",
                                                      orient="bottom", columns=2))
        encode["yOffset"] = alt.YOffset("série:N", sort=values)
    else:
        encode["color"] = alt.value(OKABE_ITO[0])
    bars = alt.Chart(frame, title=title).mark_bar().encode(**encode)
    # Value labels at the end of bars: the figure is readable without colour or hover.
    text = bars.mark_text(align="left", dx=3).encode(text="valeur:N", color=alt.value("#222"))
    # With a yOffset the step is per bar, otherwise per category: 20 px each way.
    return (bars + text).properties(height=alt.Step(20))


def _room_for_labels(values: pd.Series) -> alt.Scale:
    """A zero-based value scale with a fifth more room past the longest bar, for its value label
    (a label at 97 % is not clipped by the plot's edge)."""
    high = float(values.max()) if values.notna().any() else 0.0
    return alt.Scale(domainMax=high * 1.2) if high > 0 else alt.Scale()


def _magnitude_ratio(frame: pd.DataFrame, column: str) -> float:
    """How many times larger the largest series (by its largest |value|) is than the smallest."""
    peaks = frame.groupby(column)["value"].max().abs().dropna()
    peaks = peaks[peaks > 0]
    return float(peaks.max() / peaks.min()) if len(peaks) > 1 else 1.0


def _time_order(values: pd.Series) -> list:
    """Years in numeric order, other time labels (months, periods) as the report prints them."""
    distinct = list(dict.fromkeys(values))
    return sorted(distinct, key=int) if all(str(v).isdigit() for v in distinct) else distinct


def _series_label(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if not columns:
        return pd.Series("Valeur", index=frame.index)
    return frame[columns].astype(str).agg(" · ".join, axis=1)


def _shapes(values: list[str]) -> list[str]:
    # Shifted every 8 series so that (colour, shape) pairs stay unique up to 64 series.
    return [SHAPES[(i + i // len(OKABE_ITO)) % len(SHAPES)] for i in range(len(values))]


def _fixed_scale(values: list[str], colours: dict[str, str]) -> alt.Scale:
    fallback = iter(c for c in OKABE_ITO if c not in colours.values())
    return alt.Scale(domain=values, range=[colours.get(v) or next(fallback, "#666666") for v in values])


def channel_volumes(frame: pd.DataFrame, log_scale: bool = True, breaks: tuple = ()) -> alt.Chart:
    """Contacts per year, one line per channel and measure (colour and shape by channel, dash by
    measure), on a log scale with 1-2-5 ticks or a linear one; series breaks marked."""
    frame = with_text_values(frame, "count")
    channels = list(dict.fromkeys(frame["channel"]))
    measures = list(dict.fromkeys(frame["measure"]))
    if log_scale:
        scale = alt.Scale(type="log")
        axis = alt.Axis(labelExpr=FR_AXIS_WORDS, title="Contacts (échelle logarithmique)",
                        values=log_ticks(frame["value"]))
    else:
        scale, axis = alt.Scale(zero=True), alt.Axis(labelExpr=FR_AXIS_WORDS, title="Contacts")
    legend = alt.Legend(title="Canal", orient="bottom", columns=3)
    base = alt.Chart(frame).encode(
        x=alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", scale=scale, axis=axis, title=axis.title),
        color=alt.Color("channel:N", scale=_fixed_scale(channels, CHANNEL_COLOURS), legend=legend),
        tooltip=[alt.Tooltip("channel:N", title="Canal"), alt.Tooltip("measure:N", title="Mesure"),
                 alt.Tooltip("year:O", title="Année"), alt.Tooltip("valeur:N", title="Contacts")],
    )
    # Lines and points are separate layers: with a point overlay, Vega-Lite draws the dash
    # legend's symbols without a stroke (blank), and it must show the dashes the lines carry.
    lines = base.mark_line().encode(
        strokeDash=alt.StrokeDash("measure:N", scale=alt.Scale(domain=measures, range=_dashes(measures)),
                                  legend=alt.Legend(title="Mesure (style de ligne)", orient="bottom", columns=2,
                                                    symbolType="stroke", symbolStrokeColor="#333",
                                                    symbolStrokeWidth=2.5, symbolSize=600)),
        detail="measure:N")
    points = base.mark_point(filled=True, size=80, opacity=1).encode(
        shape=alt.Shape("channel:N", scale=alt.Scale(domain=channels, range=_shapes(channels)), legend=legend))
    lines = (lines + points).properties(height=380)
    return with_breaks(lines, breaks)


def channel_shares(frame: pd.DataFrame, breaks: tuple = ()) -> alt.Chart:
    """Stacked 100 % bars of each channel's share per year, one panel per kind of measure
    (contacts, website and app visits): visits are never added to calls and letters."""
    # A segment whose series breaks that year carries « ⚠ » (the note under the chart says why).
    broken = {(year, series) for year, series, _ in breaks}
    frame = frame.assign(part=[fr_value(v, "percent") for v in frame["share_pct"]],
                         label=[("⚠ " if (y, c) in broken else "") + (fr_value(v, "percent") if v >= 8 else "")
                                for y, c, v in zip(frame["year"], frame["channel"], frame["share_pct"])])
    channels = list(dict.fromkeys(frame["channel"]))
    base = alt.Chart().encode(
        y=alt.Y("year:O", title="Année"),
        x=alt.X("share_pct:Q", stack="zero", title="Part au sein de la même nature de mesure (%)",
                scale=alt.Scale(domain=[0, 100])),
        order=alt.Order("channel:N"),
        tooltip=[alt.Tooltip("kind:N", title="Nature"), alt.Tooltip("year:O", title="Année"),
                 alt.Tooltip("channel:N", title="Canal"), alt.Tooltip("part:N", title="Part")],
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        color=alt.Color("channel:N", scale=_fixed_scale(channels, CHANNEL_COLOURS),
                        legend=alt.Legend(title="Canal", orient="bottom", columns=3)))
    labels = base.mark_text(dx=-4, align="right", color="white", fontWeight="bold").encode(text="label:N")
    return alt.layer(bars, labels, data=frame).properties(height=alt.Step(30), width=SHARES_WIDTH_PX).facet(
        row=alt.Row("kind:N", title=None, sort=list(dict.fromkeys(frame["kind"])),
                    header=alt.Header(labelAngle=0, labelAlign="left", labelAnchor="start", labelOrient="top",
                                      labelFontWeight="bold")))


def operator_lines(frame: pd.DataFrame, value: str, title: str, baseline: float | None = None,
                   breaks: tuple = ()) -> alt.Chart:
    """One line per operator over years (colour + shape), optional horizontal reference line."""
    frame = frame.assign(valeur=[fr_value(v, "count") for v in frame[value]])
    operators = list(dict.fromkeys(frame["operator"]))
    legend = alt.Legend(title="Opérateur", orient="bottom")
    lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=80)).encode(
        x=alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=title, axis=alt.Axis(labelExpr=FR_AXIS_WORDS)),
        color=alt.Color("operator:N", scale=_fixed_scale(operators, OPERATOR_COLOURS), legend=legend),
        shape=alt.Shape("operator:N", scale=alt.Scale(domain=operators, range=_shapes(operators)), legend=legend),
        tooltip=[alt.Tooltip("operator:N", title="Opérateur"), alt.Tooltip("year:O", title="Année"),
                 alt.Tooltip("valeur:N", title=title)],
    ).properties(height=340)
    if baseline is not None:
        rule = alt.Chart(pd.DataFrame({"y": [baseline]})).mark_rule(strokeDash=[4, 4], color="#555").encode(y="y:Q")
        lines = lines + rule
    return with_breaks(lines, breaks)


def operator_bars(frame: pd.DataFrame, category: str, value: str, unit: str, title: str) -> alt.Chart:
    """Bars per category grouped by operator (colour + label), for side-by-side comparisons."""
    frame = frame.assign(valeur=[fr_value(v, unit) for v in frame[value]])
    frame = frame.assign(label_text=frame["operator"] + " " + frame["valeur"])
    operators = list(dict.fromkeys(frame["operator"]))
    categories = list(dict.fromkeys(frame[category]))
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{category}:N", title=label(category), sort=categories),
        yOffset=alt.YOffset("operator:N", sort=operators),
        x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(labelExpr=FR_AXIS), scale=_room_for_labels(frame[value])),
        tooltip=[alt.Tooltip("operator:N", title="Opérateur"), alt.Tooltip(f"{category}:N", title=label(category)),
                 alt.Tooltip("valeur:N", title=title)],
    )
    bars = base.mark_bar().encode(color=alt.Color(
        "operator:N", scale=_fixed_scale(operators, OPERATOR_COLOURS), legend=alt.Legend(title="Opérateur", orient="bottom")))
    text = base.mark_text(align="left", dx=3).encode(text=alt.Text("label_text:N"), color=alt.value("#222"))
    return (bars + text).properties(height=alt.Step(18))


SHARES_WIDTH_PX = 760  # a faceted chart has a fixed width (Vega-Lite cannot fit it to the page)
DASHES = [[1, 0], [8, 4], [2, 3], [10, 3, 2, 3], [4, 4]]  # solid, dashed, dotted, dash-dot, short dashes


def _dashes(values: list[str]) -> list[list[int]]:
    return [DASHES[i % len(DASHES)] for i in range(len(values))]
