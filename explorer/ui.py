"""Streamlit helpers shared by pages: provenance, chart + table + downloads, URL-synced widgets."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from explorer import cached, charts, export, settings
from explorer.catalog import OPERATORS, THEMES, UNITS

OPERATOR_NAMES = {
    "CNAF": "CNAF / CAF (branche Famille)", "CNAM": "CNAM / CPAM (branche Maladie)",
    "CNAV": "CNAV / CARSAT (branche Vieillesse)", "MSA": "MSA (régime agricole)", "Pôle emploi": "Pôle emploi",
}

PRESENTATION_CSS = """
<style>
  html, body, [data-testid="stAppViewContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
  h1 { font-size: 2.6rem !important; } h2 { font-size: 2rem !important; }
  [data-testid="stSidebar"] { display: none; }
</style>
"""


def provenance(dataset_ids: str | Sequence[str]) -> str:
    """« Source : IGAS 2019-033R, tome 2 : annexe 3, Tableau 3 « ... » (lignes 2405-2416) »."""
    ids = [dataset_ids] if isinstance(dataset_ids, str) else list(dict.fromkeys(dataset_ids))
    parts = []
    for dataset_id in ids:
        row = catalog_row(dataset_id)
        where = "figures du texte" if row["label"] == "texte" else row["label"]
        parts.append(f"annexe {row['annex']}, {where} « {row['title']} » (lignes {row['source_lines']})")
    return f"Source : {settings.REPORT_CITATION} : " + " ; ".join(parts) + "."


def catalog_row(dataset_id: str) -> pd.Series:
    cat = cached.catalog()
    return cat[cat["dataset_id"] == dataset_id].iloc[0]


def synced_selectbox(label: str, options: Sequence[str], key: str, default: str | None = None,
                     format_func: Callable[[str], str] = str, **kwargs) -> str:
    """A selectbox whose value lives in the URL (?key=value), so that a link reproduces the view.

    A URL value not among `options` is ignored (falls back to `default`).
    """
    options = list(options)
    wanted = st.query_params.get(key)
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = wanted if wanted in options else (default or options[0])
    value = st.selectbox(label, options, key=key, format_func=format_func, **kwargs)
    st.query_params[key] = value
    return value


def synced_multiselect(label: str, options: Sequence[str], key: str,
                       default: Sequence[str] | None = None, **kwargs) -> list[str]:
    """A multiselect stored in the URL as a comma-separated list of known options."""
    options = list(options)
    if key not in st.session_state:
        from_url = [v for v in st.query_params.get(key, "").split(",") if v in options]
        st.session_state[key] = from_url or list(default if default is not None else options)
    st.session_state[key] = [v for v in st.session_state[key] if v in options]
    values = st.multiselect(label, options, key=key, **kwargs)
    st.query_params[key] = ",".join(values)
    return values


def presentation_toggle() -> bool:
    """The « mode présentation » switch (larger fonts, no sidebar), kept in the URL."""
    on = st.query_params.get("presentation") == "1"
    if st.toggle("Mode présentation", value=on, key="presentation",
                 help="Agrandit les textes et masque la barre latérale, pour un partage d'écran."):
        st.query_params["presentation"] = "1"
        st.html(PRESENTATION_CSS)
        return True
    st.query_params.pop("presentation", None)
    return False


def chart_with_data(spec: dict, frame: pd.DataFrame, dataset_id: str | Sequence[str],
                    alt_text: str, key: str, note: str = "") -> None:
    """A chart (its Vega-Lite spec, from cached.chart), its source under it, and the data one
    click away (table, CSV, SVG, PNG)."""
    file_stem = dataset_id if isinstance(dataset_id, str) else key
    chart_tab, table_tab = st.tabs(["Graphique", "Données"])
    with chart_tab:
        st.vega_lite_chart(spec, width="stretch", alt=alt_text)
        st.caption(alt_text)
    with table_tab:
        data_table(frame)
    st.caption(provenance(dataset_id))
    if note:
        st.caption(note)
    columns = st.columns(3)
    columns[0].download_button("Données (CSV)", export.csv(frame),
                               file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_csv",
                               on_click="ignore")
    columns[1].download_button("Graphique (SVG)", lambda: export.svg(spec),
                               file_name=f"{file_stem}.svg", mime="image/svg+xml",
                               key=f"{key}_svg", on_click="ignore")
    columns[2].download_button("Graphique (PNG)", lambda: export.png(spec),
                               file_name=f"{file_stem}.png", mime="image/png",
                               key=f"{key}_png", on_click="ignore")


def data_table(frame: pd.DataFrame) -> None:
    """A table with French column titles and numbers in the reader's locale (1 234,5 in French)."""
    config = {c: st.column_config.NumberColumn(charts.label(c), format="localized")
              if pd.api.types.is_numeric_dtype(frame[c]) and not c.startswith("year")
              else charts.label(c) for c in frame.columns}
    st.dataframe(frame, hide_index=True, width="stretch", column_config=config)


def dataset_view(dataset_id: str, key: str) -> None:
    """Any catalogued dataset as a chart with its data, title and notes.

    Mixed-unit datasets get a unit choice, and dimensions beyond the chart's two get a filter
    (charts.plan), so one chart never mixes units or more than two dimensions.
    """
    row = catalog_row(dataset_id)
    frame = cached.dataset(dataset_id)
    st.markdown(f"**{row['title']}**")
    shown, unit = frame, row["unit"]
    if "unit" in frame.columns:
        units = list(dict.fromkeys(frame["unit"]))
        unit = synced_selectbox("Unité", units, key=f"{key}_unit", format_func=UNITS.get) if len(units) > 1 \
            else units[0]
        shown = frame[frame["unit"] == unit]
    filters = charts.plan(shown)[2]
    for column, dim in zip(st.columns(max(len(filters), 1)), filters):
        with column:
            value = synced_selectbox(charts.label(dim), list(dict.fromkeys(shown[dim])), key=f"{key}_{dim}")
        shown = shown[shown[dim] == value]
    spec = cached.chart(charts.dataset_chart, shown, unit)
    count = f"{len(shown)} valeur{'s' if len(shown) > 1 else ''}"
    alt_text = (f"Graphique de « {row['title']} » ({count}, unité : {UNITS.get(unit, unit)}). "
                "Toutes les valeurs du jeu de données sont dans l'onglet Données.")
    chart_with_data(spec, frame, dataset_id, alt_text, key)
    if row["notes"]:
        with st.expander("Notes de transcription"):
            st.write(row["notes"])


@st.cache_data(show_spinner=False)
def geo_sources_text(name: str = "SOURCES.md") -> str:
    """A sources note of geo/: SOURCES.md (geography) or NETWORKS.md (embedded networks)."""
    return (settings.GEO_DIR / name).read_text(encoding="utf-8")


def operator_picker(key: str = "operator", options: Sequence[str] = OPERATORS) -> str:
    """The operator filter, kept in the URL (?operator=CNAF)."""
    return synced_selectbox("Opérateur", list(options), key=key, format_func=OPERATOR_NAMES.get)


def dataset_browser(themes: Sequence[str], key: str) -> None:
    """A picker over every catalogued dataset of `themes`, shown with `dataset_view`."""
    cat = cached.catalog()
    subset = cat[cat["theme"].isin(themes)]
    if subset.empty:
        st.info("Aucun jeu de données pour ce thème.")
        return
    titles = {r.dataset_id: f"A{r.annex} · {r.label} · {r.title}" for r in subset.itertuples()}
    theme_names = ", ".join(THEMES[t] for t in themes)
    st.caption(f"{len(subset)} jeux de données ({theme_names}).")
    chosen = synced_selectbox("Jeu de données", list(titles), key=key, format_func=titles.get)
    dataset_view(chosen, key=f"{key}_view")


# ---------------------------------------------------------------- access map controls


def french_table(frame: pd.DataFrame, key: str, file_stem: str, height: int | None = None) -> None:
    """A table whose cells are already French text (explorer.territory.tables), with its CSV."""
    st.dataframe(frame, hide_index=True, width="stretch", key=key,
                 height=height or ("auto" if len(frame) <= 12 else 320))
    st.download_button("Tableau (CSV)", export.csv(frame),
                       file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_csv",
                       on_click="ignore")


def travel_parameters():
    """The travel-time parameters (access.Parameters), editable in an expander."""
    from explorer import access

    defaults = access.Parameters()
    with st.expander("Paramètres du temps de trajet (estimation, modifiables)"):
        left, right = st.columns(2)
        params = access.Parameters(
            detour_factor=left.slider("Coefficient de détour (route / vol d'oiseau)", 1.0, 2.0,
                                      defaults.detour_factor, 0.05, key="detour"),
            speed_dense_kmh=left.slider("Vitesse en commune dense (km/h)", 10.0, 60.0,
                                        defaults.speed_dense_kmh, 5.0, key="v_dense"),
            speed_intermediate_kmh=left.slider("Vitesse en commune intermédiaire (km/h)", 20.0,
                                               80.0, defaults.speed_intermediate_kmh, 5.0,
                                               key="v_inter"),
            speed_rural_kmh=right.slider("Vitesse en commune rurale et sur route (km/h)", 40.0,
                                         100.0, defaults.speed_rural_kmh, 5.0, key="v_rural"),
            local_leg_km=right.slider("Trajet local à la vitesse de la commune de départ (km)",
                                      0.0, 20.0, defaults.local_leg_km, 0.5, key="local_leg"))
        st.caption("Valeurs par défaut : " + access.method_text_fr(defaults))
    return params


def commune_locator(communes: pd.DataFrame, aliases: pd.DataFrame,
                    names: dict[str, str]) -> dict | None:
    """« Trouver une commune »: name, INSEE code, postcode, arrondissement or former commune
    (explorer.locator); the chosen commune's INSEE code is kept in the URL (?commune=15014).
    Returns the chosen commune's row of `communes` as a dict, or None."""
    from explorer import locator

    if "commune" not in st.session_state:
        st.session_state["commune"] = st.query_params.get("commune", "")
    query = st.text_input("Trouver une commune (nom, code INSEE, code postal)", key="commune",
                          placeholder="Aurillac, 15014 ou 15000")
    if not query.strip():
        st.query_params.pop("commune", None)
        return None
    resolution = locator.resolve(query, communes, aliases)
    if not resolution.found:
        st.warning(resolution.message)
        return None
    found = resolution.communes
    codes = list(found["code_insee"])
    if len(codes) > 1:
        labels = {r.code_insee: f"{r.nom} ({names.get(r.departement, r.departement)}, "
                                f"{r.code_insee})" for r in found.itertuples()}
        code = st.selectbox(f"{len(codes)} communes correspondent : laquelle ?", codes,
                            key="commune_code", format_func=labels.get)
    else:
        code = codes[0]
    note = found.loc[found["code_insee"] == code, "note"].iloc[0]
    if isinstance(note, str) and note:
        st.caption(note)
    st.query_params["commune"] = code
    return communes[communes["code_insee"] == code].iloc[0].to_dict()


def map_view_picker(names: dict[str, str], focus_departement: str | None) -> str:
    """The map's view (France, Corse or a département), kept in the URL (?vue=15), with
    one-click shortcuts to Corsica and the overseas départements; a newly located commune
    moves the view to its département."""
    from explorer.territory import views

    if focus_departement and st.session_state.get("_located_departement") != focus_departement:
        st.session_state["vue"] = focus_departement
    st.session_state["_located_departement"] = focus_departement
    options = [views.NATIONAL, *views.GROUPS, *names]
    choice = synced_selectbox("Vue de la carte", options, key="vue",
                              format_func=lambda k: views.scope_label(k, names)
                              if k != views.NATIONAL else "France (communes et départements)")
    shortcuts = st.columns(len(views.SHORTCUTS) + 1)
    for column, target in zip(shortcuts, (views.NATIONAL, *views.SHORTCUTS)):
        text = "France" if target == views.NATIONAL else views.GROUP_LABELS.get(target) or \
            names.get(target, target)
        column.button(text, key=f"go_{target}", width="stretch", disabled=choice == target,
                      on_click=lambda t=target: st.session_state.update(vue=t))
    return choice
