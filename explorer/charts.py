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


def dataset_chart(frame: pd.DataFrame, unit: str, title: str = "") -> alt.Chart:
    """A chart for any tidy report dataset: lines over years, bars otherwise."""
    frame = with_text_values(frame.dropna(subset=["value"]), unit)
    dims = catalog.dimensions(frame.drop(columns=["valeur"]))
    varying = [d for d in dims if frame[d].nunique() > 1] or dims[:1]
    tooltip = [alt.Tooltip(f"{d}:N", title=label(d)) for d in dims] + [
        alt.Tooltip("valeur:N", title="Valeur")]
    y_title = catalog.UNITS.get(unit, unit).capitalize()
    value_axis = alt.Axis(labelExpr=FR_AXIS, title=y_title)
    time_dims = [d for d in varying if d.startswith("year")]
    if time_dims and frame[time_dims[0]].nunique() > 1:
        return line_chart(frame, time_dims[0], [d for d in varying if d != time_dims[0]], value_axis,
                          tooltip, title)
    return bar_chart(frame, varying, value_axis, tooltip, title)


def line_chart(frame, x: str, series: list[str], value_axis, tooltip, title="") -> alt.Chart:
    """Values over years, one line per series (colour + point shape)."""
    frame = frame.copy()
    frame["série"] = _series_label(frame, series)
    values = list(dict.fromkeys(frame["série"]))
    key = series[0] if len(series) == 1 else "série"
    encode = dict(
        x=alt.X(f"{x}:O", title=label(x), axis=alt.Axis(labelAngle=0)),
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
    rows = frame[category].nunique() * (frame["série"].nunique() if rest else 1)
    bars = alt.Chart(frame, title=title).mark_bar().encode(**encode)
    # Value labels at the end of bars: the figure is readable without colour or hover.
    text = bars.mark_text(align="left", dx=3, fontSize=11).encode(text="valeur:N", color=alt.value("#222"))
    return (bars + text).properties(height=max(120, min(18 * rows + 40, 1400)))


def _series_label(frame: pd.DataFrame, columns: list[str]) -> pd.Series:
    if not columns:
        return pd.Series("Valeur", index=frame.index)
    return frame[columns].astype(str).agg(" · ".join, axis=1)


def _shapes(values: list[str]) -> list[str]:
    return [SHAPES[i % len(SHAPES)] for i in range(len(values))]
