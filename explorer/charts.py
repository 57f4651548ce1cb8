"""Altair chart builders (no Streamlit): French labels, colour-blind-safe palettes, tooltips."""

from __future__ import annotations

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
    "user_group": "Groupe d'usagers",
}
# Vega expression for French axis numbers: 1 234,5
FR_AXIS = "replace(replace(format(datum.value, ',.4~f'), regexp(',', 'g'), '\u00a0'), '.', ',')"


def label(column: str) -> str:
    """The French axis/legend title of a column."""
    return DIMENSION_LABELS.get(column, column.replace("_", " ").capitalize())


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


def dataset_chart(frame: pd.DataFrame, unit: str, title: str = "") -> alt.Chart:
    """A chart of a tidy report dataset (narrowed by `plan`'s filters): lines over time, else bars."""
    axis, series, _ = plan(frame)
    frame = with_text_values(frame.dropna(subset=["value"]), unit)
    dims = catalog.dimensions(frame.drop(columns=["valeur"]))
    tooltip = [alt.Tooltip(f"{d}:N", title=label(d)) for d in dims] + [
        alt.Tooltip("valeur:N", title="Valeur")]
    y_title = catalog.UNITS.get(unit, unit).capitalize()
    value_axis = alt.Axis(labelExpr=FR_AXIS, title=y_title)
    if time_axis([axis]) and frame[axis].nunique() >= MIN_TIME_POINTS:
        return line_chart(frame, axis, series, value_axis, tooltip, title)
    return bar_chart(frame, [axis, *series], value_axis, tooltip, title)


TIME_DIMENSIONS = ("month", "year", "date", "period")  # preferred x axis first: months within years


def time_axis(dimensions: list[str]) -> str | None:
    """The dimension to put on a line chart's x axis, if any varies over time."""
    for prefix in TIME_DIMENSIONS:
        for d in dimensions:
            if d.startswith(prefix):
                return d
    return None


def line_chart(frame, x: str, series: list[str], value_axis, tooltip, title="") -> alt.Chart:
    """Values over years, one line per series (colour + point shape)."""
    frame = frame.copy()
    frame["série"] = _series_label(frame, series)
    values = list(dict.fromkeys(frame["série"]))
    key = series[0] if len(series) == 1 else "série"
    encode = dict(
        x=alt.X(f"{x}:O", title=label(x), sort=_time_order(frame[x]),
                   axis=alt.Axis(labelAngle=0 if x.startswith("year") else -40)),
        y=alt.Y("value:Q", axis=value_axis),
        tooltip=tooltip,
    )
    if series:
        legend = alt.Legend(title=label(key) if key != "série" else "Série", orient="bottom",
                            columns=2, labelLimit=400)
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
        y=alt.Y(f"{category}:N", title=label(category), sort=order, axis=alt.Axis(labelLimit=320)),
        x=alt.X("value:Q", axis=value_axis),
        tooltip=tooltip,
    )
    if rest:
        frame["série"] = _series_label(frame, rest)
        values = list(dict.fromkeys(frame["série"]))
        key = rest[0] if len(rest) == 1 else "série"
        encode["color"] = alt.Color("série:N", scale=scale_for(key, values), sort=values,
                                    legend=alt.Legend(title=label(key) if key != "série" else "Série",
                                                      orient="bottom", columns=2, labelLimit=400))
        encode["yOffset"] = alt.YOffset("série:N", sort=values)
    else:
        encode["color"] = alt.value(OKABE_ITO[0])
    bars = alt.Chart(frame, title=title).mark_bar().encode(**encode)
    # Value labels at the end of bars: the figure is readable without colour or hover.
    text = bars.mark_text(align="left", dx=3, fontSize=11).encode(text="valeur:N", color=alt.value("#222"))
    # With a yOffset the step is per bar, otherwise per category: 20 px each way.
    return (bars + text).properties(height=alt.Step(20))


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


def channel_volumes(frame: pd.DataFrame, log_scale: bool = True) -> alt.Chart:
    """Contacts per year, one line per channel and measure (colour and shape by channel)."""
    frame = with_text_values(frame, "count")
    channels = list(dict.fromkeys(frame["channel"]))
    scale = alt.Scale(type="log") if log_scale else alt.Scale(zero=True)
    legend = alt.Legend(title="Canal", orient="bottom", columns=3)
    return alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=80)).encode(
        x=alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0)),
        y=alt.Y("value:Q", scale=scale, axis=alt.Axis(labelExpr=FR_AXIS, title="Contacts (échelle log)"
                                                      if log_scale else "Contacts")),
        color=alt.Color("channel:N", scale=_fixed_scale(channels, CHANNEL_COLOURS), legend=legend),
        shape=alt.Shape("channel:N", scale=alt.Scale(domain=channels, range=_shapes(channels)), legend=legend),
        strokeDash=alt.StrokeDash("measure:N", legend=alt.Legend(title="Mesure", orient="bottom", columns=2,
                                                                 labelLimit=400)),
        detail="measure:N",
        tooltip=[alt.Tooltip("channel:N", title="Canal"), alt.Tooltip("measure:N", title="Mesure"),
                 alt.Tooltip("year:O", title="Année"), alt.Tooltip("valeur:N", title="Contacts")],
    ).properties(height=380)


def channel_shares(frame: pd.DataFrame) -> alt.Chart:
    """Stacked 100 % bars of each channel's share per year, labelled with the share."""
    frame = frame.assign(part=[fr_value(v, "percent") for v in frame["share_pct"]])
    channels = list(dict.fromkeys(frame["channel"]))
    base = alt.Chart(frame).encode(
        y=alt.Y("year:O", title="Année"),
        x=alt.X("share_pct:Q", stack="zero", title="Part des contacts (%)", scale=alt.Scale(domain=[0, 100])),
        order=alt.Order("channel:N"),
        tooltip=[alt.Tooltip("year:O", title="Année"), alt.Tooltip("channel:N", title="Canal"),
                 alt.Tooltip("part:N", title="Part")],
    )
    bars = base.mark_bar(stroke="white", strokeWidth=1).encode(
        color=alt.Color("channel:N", scale=_fixed_scale(channels, CHANNEL_COLOURS),
                        legend=alt.Legend(title="Canal", orient="bottom", columns=3)))
    labels = base.mark_text(dx=-4, align="right", color="white", fontWeight="bold").encode(
        text=alt.condition("datum.share_pct >= 6", "part:N", alt.value("")))
    return (bars + labels).properties(height=alt.Step(34))


def operator_lines(frame: pd.DataFrame, value: str, title: str, baseline: float | None = None) -> alt.Chart:
    """One line per operator over years (colour + shape), optional horizontal reference line."""
    frame = frame.assign(valeur=[fr_value(v, "count") for v in frame[value]])
    operators = list(dict.fromkeys(frame["operator"]))
    legend = alt.Legend(title="Opérateur", orient="bottom")
    lines = alt.Chart(frame).mark_line(point=alt.OverlayMarkDef(size=80)).encode(
        x=alt.X("year:O", title="Année", axis=alt.Axis(labelAngle=0)),
        y=alt.Y(f"{value}:Q", title=title, axis=alt.Axis(labelExpr=FR_AXIS)),
        color=alt.Color("operator:N", scale=_fixed_scale(operators, OPERATOR_COLOURS), legend=legend),
        shape=alt.Shape("operator:N", scale=alt.Scale(domain=operators, range=_shapes(operators)), legend=legend),
        tooltip=[alt.Tooltip("operator:N", title="Opérateur"), alt.Tooltip("year:O", title="Année"),
                 alt.Tooltip("valeur:N", title=title)],
    ).properties(height=340)
    if baseline is None:
        return lines
    rule = alt.Chart(pd.DataFrame({"y": [baseline]})).mark_rule(strokeDash=[4, 4], color="#555").encode(y="y:Q")
    return lines + rule


def operator_bars(frame: pd.DataFrame, category: str, value: str, unit: str, title: str) -> alt.Chart:
    """Bars per category grouped by operator (colour + label), for side-by-side comparisons."""
    frame = frame.assign(valeur=[fr_value(v, unit) for v in frame[value]])
    frame = frame.assign(label_text=frame["operator"] + " " + frame["valeur"])
    operators = list(dict.fromkeys(frame["operator"]))
    categories = list(dict.fromkeys(frame[category]))
    base = alt.Chart(frame).encode(
        y=alt.Y(f"{category}:N", title=label(category), sort=categories, axis=alt.Axis(labelLimit=300)),
        yOffset=alt.YOffset("operator:N", sort=operators),
        x=alt.X(f"{value}:Q", title=title, axis=alt.Axis(labelExpr=FR_AXIS)),
        tooltip=[alt.Tooltip("operator:N", title="Opérateur"), alt.Tooltip(f"{category}:N", title=label(category)),
                 alt.Tooltip("valeur:N", title=title)],
    )
    bars = base.mark_bar().encode(color=alt.Color(
        "operator:N", scale=_fixed_scale(operators, OPERATOR_COLOURS), legend=alt.Legend(title="Opérateur", orient="bottom")))
    text = base.mark_text(align="left", dx=3, fontSize=11).encode(
        text=alt.Text("label_text:N"), color=alt.value("#222"))
    return (bars + text).properties(height=alt.Step(16))
