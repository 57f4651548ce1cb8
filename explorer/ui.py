"""Streamlit helpers shared by pages: provenance, chart + table + downloads, URL-synced widgets."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from explorer import cached, catalog, charts, export, settings
from explorer.catalog import OPERATORS, THEMES, UNITS
from explorer.formatting import MISSING, fr_count, fr_number, numbers_from_fr_cells
from explorer.navigation import PageSpec

OPERATOR_NAMES = {
    "CNAF": "CNAF / CAF (branche Famille)", "CNAM": "CNAM / CPAM (branche Maladie)",
    "CNAV": "CNAV / CARSAT (branche Vieillesse)", "MSA": "MSA (régime agricole)", "Pôle emploi": "Pôle emploi",
}

# Applied on every page (app.py). Focus: a 3 px ring in the primary colour on anything focusable
# by keyboard, menu links included (the current page's grey background is not a focus sign).
# Element toolbars (fullscreen, table search and download: English tooltips, focusable while
# invisible), heading anchors (invisible until hovered, yet focusable, labelled « Link to
# heading ») and the app menu (English items) are removed: every chart and table has its own
# French CSV/SVG/PNG buttons, and the browser prints. The file
# uploader's English instructions are replaced by French ones (no Streamlit option sets them).
APP_CSS = """
<style>
  :focus-visible, [data-testid="stSidebarNav"] a:focus-visible, [data-testid="stPageLink"] a:focus-visible {
    outline: 3px solid #0B5CAD !important; outline-offset: 2px !important; box-shadow: 0 0 0 5px #fff !important;
  }
  /* The tab list clips what passes its edges: the tabs' ring goes inside them. */
  [data-testid="stTabs"] [role="tab"]:focus-visible { outline-offset: -3px !important; box-shadow: none !important; }
  [data-testid="stElementToolbar"], [data-testid="stMainMenu"], [data-testid="stHeaderActionElements"] {
    display: none !important; }
  [class*="st-key-key_figure_"] p:first-child strong { font-size: 2rem; line-height: 1.2; }
  [data-testid="stFileUploaderDropzoneInstructions"] > div > span,
  [data-testid="stFileUploaderDropzoneInstructions"] > div > small { display: none; }
  [data-testid="stFileUploaderDropzoneInstructions"] > div::after {
    content: "Glissez-déposez un fichier ici"; }
  [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"] [data-testid="stMarkdownContainer"] {
    display: none; }
  [data-testid="stFileUploaderDropzone"] [data-testid="stBaseButton-secondary"]::after {
    content: "Choisir un fichier"; }
</style>
"""

# Presentation mode (1280x720 shared screen): larger page text; the sidebar is hidden and
# app.py puts a compact page menu in the body. Chart text is enlarged by charts.configure.
PRESENTATION_CSS = """
<style>
  html, body, [data-testid="stAppViewContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.25rem; }
  h1 { font-size: 2.4rem !important; } h2 { font-size: 1.9rem !important; } h3 { font-size: 1.5rem !important; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
    display: none; }
  [data-testid="stMainBlockContainer"] { padding-top: 4rem; padding-left: 2rem; padding-right: 2rem; }
</style>
"""


def app_style() -> None:
    """The app-wide style (focus rings, no English element toolbars); call once per run."""
    st.html(APP_CSS)


def is_presentation() -> bool:
    """Presentation mode is on (the toggle, or ?presentation=1 before the toggle is drawn)."""
    return bool(st.session_state.get("presentation", st.query_params.get("presentation") == "1"))


def compact_menu(pages: Sequence[PageSpec]) -> None:
    """The page menu as one row of links in the body, for presentation mode (no sidebar): short
    labels, the full title as a tooltip, so that it fits one row of a 1280×720 screen."""
    with st.container(horizontal=True, key="compact_menu"):
        for page in pages:
            st.page_link(page.path, label=page.menu_label, icon=page.icon, help=page.title)


def provenance(dataset_ids: str | Sequence[str]) -> str:
    """« Source : IGAS 2019-033R, tome 2 : annexe 3, Tableau 3 « ... » (lignes 2405-2416) »."""
    ids = [dataset_ids] if isinstance(dataset_ids, str) else list(dict.fromkeys(dataset_ids))
    cat, parts = cached.catalog_by_id(), []
    for dataset_id in ids:
        annex, label, title, lines = (cat.at[dataset_id, column]
                                      for column in ("annex", "label", "title", "source_lines"))
        where = "figures du texte" if label == "texte" else label
        parts.append(f"annexe {annex}, {where} « {title} » (lignes {lines})")
    return f"Source : {settings.REPORT_CITATION} : " + " ; ".join(parts) + "."


def catalog_row(dataset_id: str) -> pd.Series:
    return cached.catalog_by_id().loc[dataset_id]


def synced_selectbox(label: str, options: Sequence[str], key: str, default: str | None = None,
                     format_func: Callable[[str], str] = str, **kwargs) -> str:
    """A selectbox whose value lives in the URL (?key=value), so that a link reproduces the view.

    A URL value not among `options` is ignored (falls back to `default`). Options may be numbers
    (years): the URL's text is matched against their text.
    """
    options = list(options)
    from_url = [o for o in options if str(o) == st.query_params.get(key)]
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = from_url[0] if from_url else (default if default in options else options[0])
    value = st.selectbox(label, options, key=key, format_func=format_func, placeholder="Choisir une valeur",
                         **kwargs)
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
    values = st.multiselect(label, options, key=key, placeholder="Choisir une ou plusieurs valeurs",
                            select_all=False, **kwargs)  # « Select all » has no French label
    st.query_params[key] = ",".join(values)
    return values


def synced_toggle(label: str, key: str, default: bool, **kwargs) -> bool:
    """A toggle kept in the URL (?key=1 or ?key=0), so that a link reproduces the view."""
    if key not in st.session_state:
        st.session_state[key] = {"1": True, "0": False}.get(st.query_params.get(key), default)
    value = st.toggle(label, key=key, **kwargs)
    st.query_params[key] = "1" if value else "0"
    return value


def presentation_toggle() -> bool:
    """The « mode présentation » switch (larger text in pages and charts, no sidebar), in the URL."""
    _, column = st.columns([3, 1])
    with column:
        on = synced_toggle("Mode présentation", key="presentation", default=False,
                           help="Agrandit les textes et les graphiques et remplace la barre latérale par "
                                "un menu compact, pour un partage d'écran.")
    if on:
        st.html(PRESENTATION_CSS)
    else:
        st.query_params.pop("presentation", None)  # the default view keeps a short URL
    return on


@st.fragment
def chart_with_data(spec: dict, frame: pd.DataFrame, dataset_id: str | Sequence[str],
                    alt_text: str, key: str, note: str = "", title: str = "",
                    breaks: Sequence[catalog.SeriesBreak] = ()) -> None:
    """A chart (its Vega-Lite spec, from cached.chart), its source and notes under it, and the
    data one click away (table, CSV, SVG and PNG with `title` and the source inside the image).

    `breaks`: the series breaks the chart marks (catalog.breaks_in); each one's reason is noted.
    Only the open tab is drawn (the table of a closed « Données » tab cost the browser as much as
    the chart); switching tabs reruns this fragment alone. The open tab is in
    st.session_state[f"{key}_tabs"].
    """
    file_stem = dataset_id if isinstance(dataset_id, str) else key
    source = provenance(dataset_id)
    chart_tab, table_tab = _chart_tabs(key)
    with chart_tab:
        if chart_tab.open:
            st.vega_lite_chart(charts.configure(spec, is_presentation()), width="stretch", alt=alt_text)
        st.caption(alt_text)
    with table_tab:
        if table_tab.open:
            data_table(frame)
    st.caption(source)
    for series_break in breaks:
        st.warning(series_break.reason, icon=":material/warning:")
    if note:
        st.caption(note)
    title = title or alt_text
    columns = st.columns(3)
    columns[0].download_button("Données (CSV)", lambda: data_csv(frame),
                               file_name=f"{file_stem}.csv", mime="text/csv", key=f"{key}_csv",
                               on_click="ignore")
    columns[1].download_button("Graphique (SVG)", lambda: export.svg(spec, title, source),
                               file_name=f"{file_stem}.svg", mime="image/svg+xml",
                               key=f"{key}_svg", on_click="ignore")
    columns[2].download_button("Graphique (PNG)", lambda: export.png(spec, title, source),
                               file_name=f"{file_stem}.png", mime="image/png",
                               key=f"{key}_png", on_click="ignore")


@st.fragment
def lazy_expander(label: str, key: str, draw: Callable[[], None]) -> None:
    """An expander whose content, `draw()`, is drawn only once it is opened: a collapsed
    expander drew its tables and texts all the same, for nobody. Opening or closing it reruns
    this fragment alone (a console's result above it stays); its state is st.session_state[key]."""
    with st.expander(label, key=key, on_change="rerun") as box:
        if box.open:
            draw()


def _chart_tabs(key: str):
    """The « Graphique » and « Données » tabs; the open one is in st.session_state[f"{key}_tabs"]
    and a switch reruns the enclosing fragment, so that only the open tab need be drawn."""
    return st.tabs(["Graphique", "Données"], key=f"{key}_tabs", on_change="rerun")


@st.fragment
def chart_with_table(spec: dict, table: pd.DataFrame, alt_text: str, key: str, file_stem: str) -> None:
    """A chart and, in its « Données » tab, `table` (cells already French text, as from
    explorer.territory.tables) with its CSV; only the open tab is drawn, as in chart_with_data."""
    chart_tab, table_tab = _chart_tabs(key)
    if chart_tab.open:
        chart_tab.vega_lite_chart(spec, width="stretch", alt=alt_text)
    if table_tab.open:
        with table_tab:
            french_table(table, key=f"{key}_table", file_stem=file_stem)


def series_breaks(dataset_ids: str | Sequence[str], frame: pd.DataFrame,
                  **fixed: str) -> list[catalog.SeriesBreak]:
    """The declared series breaks (data/series_breaks.csv) that a chart of `frame` shows."""
    return catalog.breaks_in(catalog.read_series_breaks(), dataset_ids, frame, fixed)


def data_csv(frame: pd.DataFrame) -> bytes:
    """The CSV of a chart's data: the table of its « Données » tab (French column titles,
    coded values in words), its numbers left as numbers for a spreadsheet or a script."""
    return export.csv(charts.display_values(frame).rename(columns=charts.label))


def data_table(frame: pd.DataFrame) -> None:
    """A table with French column titles and numbers (1 234,5; missing values « — »).

    The numbers are formatted by explorer.formatting through a pandas Styler, whatever the
    reader's browser locale, and the columns still sort as numbers.
    """
    frame = charts.display_values(frame)
    numbers = [c for c in frame.columns if pd.api.types.is_numeric_dtype(frame[c]) and not c.startswith("year")]
    styled = frame.style.format(fr_number, subset=numbers, na_rep=MISSING).format(
        lambda v: MISSING if v is None or v == "" else v, subset=[c for c in frame.columns if c not in numbers])
    st.dataframe(styled, hide_index=True, width="stretch",
                 column_config={c: charts.label(c) for c in frame.columns})


def key_figure(label: str, value_text: str, dataset_id: str, key: str) -> None:
    """A key figure in full (st.metric cuts long labels with « … »): the value large (APP_CSS),
    its label and its source under it."""
    with st.container(border=True, key=f"key_figure_{key}"):
        st.markdown(f"**{value_text}**")
        st.markdown(label)
        st.caption(provenance(dataset_id))


def questions(items: Sequence[str]) -> None:
    """The questions a page answers, numbered, under its title; its sections follow this order."""
    st.markdown("**Cette page répond aux questions :**\n" + "\n".join(
        f"{i}. {question}" for i, question in enumerate(items, start=1)))


def dataset_view(dataset_id: str, key: str, title: str = "", defaults: dict[str, str] | None = None,
                 hidden: dict[str, Sequence[str]] | None = None) -> None:
    """Any catalogued dataset as a chart with its data, title and notes.

    Mixed-unit datasets get a unit choice, and dimensions beyond the chart's two get a filter
    (charts.plan), so one chart never mixes units or more than two dimensions. `defaults` sets
    the filters' initial values ({"indicator": "Part dans la population"}); `hidden` leaves rows
    out of the chart only (a printed 100 % total beside its parts), said under the chart; the
    Données tab and the CSV keep every row.
    """
    row = catalog_row(dataset_id)
    frame = cached.dataset(dataset_id)
    defaults = defaults or {}
    st.markdown(f"**{row['title']}**")
    shown, unit = frame, row["unit"]
    for column, values in (hidden or {}).items():
        shown = shown[~shown[column].isin(values)]
    if "unit" in frame.columns:
        units = list(dict.fromkeys(shown["unit"]))
        unit = synced_selectbox("Unité", units, key=f"{key}_unit", format_func=UNITS.get,
                                default=defaults.get("unit")) if len(units) > 1 else units[0]
        shown = shown[shown["unit"] == unit]
    filters = charts.plan(shown)[2]
    chosen = []
    for column, dim in zip(st.columns(max(len(filters), 1)), filters):
        options = list(dict.fromkeys(shown[dim]))
        default = next((o for o in options if str(o) == str(defaults.get(dim))), None)
        with column:
            value = synced_selectbox(charts.label(dim), options, key=f"{key}_{dim}", default=default)
        shown = shown[shown[dim] == value]
        chosen.append(f"{charts.label(dim)} : {value}")
    breaks = series_breaks(dataset_id, shown)
    # The filters' values name what a narrowed chart shows (a single bar otherwise has no name).
    spec = cached.chart(charts.dataset_chart, shown, unit, " · ".join(chosen), charts.break_labels(breaks))
    alt_text = (f"Graphique de « {row['title']} » ({fr_count(len(shown), 'valeur')}, unité : "
                f"{UNITS.get(unit, unit)}). Toutes les valeurs du jeu de données sont dans l'onglet Données.")
    left_out = "; ".join(f"{charts.label(c)} : {', '.join(map(str, v))}" for c, v in (hidden or {}).items())
    note = f"Non tracé (valeurs dans l'onglet Données) : {left_out}." if left_out else ""
    chart_with_data(spec, frame, dataset_id, alt_text, key, note=note, title=title or row["title"],
                    breaks=breaks)
    if row["notes"]:
        with st.expander("Notes de transcription"):
            st.write(row["notes"])


@st.cache_data(show_spinner=False)
def geo_sources_text(name: str = "SOURCES.md") -> str:
    """A sources note of geo/: SOURCES.md (geography) or NETWORKS.md (embedded networks), its
    headings three levels down (« # » to « #### »): in an expander, under the page's own."""
    text = (settings.GEO_DIR / name).read_text(encoding="utf-8")
    return re.sub(r"^(#+) ", r"###\1 ", text, flags=re.MULTILINE)


def operator_picker(key: str = "operator", options: Sequence[str] = OPERATORS) -> str:
    """The operator filter, kept in the URL (?operator=CNAF)."""
    return synced_selectbox("Opérateur", list(options), key=key, format_func=OPERATOR_NAMES.get)


def dataset_browser(themes: Sequence[str], key: str, shown_above: Sequence[str] = ()) -> None:
    """A picker over every catalogued dataset of `themes`, shown with `dataset_view`; it opens on
    the first dataset that the page does not already show (`shown_above`)."""
    cat = cached.catalog()
    subset = cat[cat["theme"].isin(themes)]
    if subset.empty:
        st.info("Aucun jeu de données pour ce thème.")
        return
    titles = {r.dataset_id: f"A{r.annex} · {r.label} · {r.title}" for r in subset.itertuples()}
    theme_names = ", ".join(THEMES[t] for t in themes)
    st.caption(f"{fr_count(len(subset), 'jeu de données', 'jeux de données')} ({theme_names}).")
    default = next((d for d in titles if d not in shown_above), None)
    chosen = synced_selectbox("Jeu de données", list(titles), key=key, format_func=titles.get, default=default)
    dataset_view(chosen, key=f"{key}_view")


# ---------------------------------------------------------------- access map controls


def markdown_text(text: str) -> str:
    """`text` shown as typed where Streamlit reads Markdown (alerts, captions): a visitor's
    `[lien](https://…)` in a shared URL must not become a link."""
    return re.sub(r"([\\`*_{}\[\]()#!|<>~$])", r"\\\1", text)


# A component's iframe is titled with its module path (« streamlit_folium.st_folium »), which a
# screen reader reads out; no Streamlit option names it, so a script in the page renames it.
_COMPONENT_TITLE_JS = """<script>
(() => {
  window.__componentTitles = Object.assign(window.__componentTitles || {}, %s);
  const rename = () => Object.entries(window.__componentTitles).forEach(([name, title]) =>
    document.querySelectorAll('iframe[title="' + name + '"]').forEach(f => { f.title = title; }));
  rename();
  if (!window.__componentTitleObserver) {
    window.__componentTitleObserver = new MutationObserver(rename);
    window.__componentTitleObserver.observe(document.body, {subtree: true, childList: true});
  }
})();
</script>"""


def name_component_frame(component: str, title: str) -> None:
    """Give the iframes of `component` (its module path, as « streamlit_folium.st_folium ») the
    title `title` that screen readers announce."""
    names = json.dumps({component: title}).replace("<", "\\u003c")  # no « </script> » inside
    st.html(_COMPONENT_TITLE_JS % names, width="content", unsafe_allow_javascript=True)


def map_frame(html: str, alt: str) -> None:
    """A map document (cached.map_html) in an iframe named `alt` for screen readers. The same
    text on every rerun: the browser keeps the drawn map instead of drawing it again."""
    from explorer import maps

    st.iframe(html, height=maps.MAP_HEIGHT_PX, alt=alt)


def french_table(frame: pd.DataFrame, key: str, file_stem: str, height: int | None = None,
                 wrap: bool = False) -> None:
    """A table whose cells are already French text (explorer.territory.tables), with its CSV
    (its numbers as numbers: formatting.numbers_from_fr_cells).
    `wrap`: a short table of long texts drawn whole, its cells wrapped (st.table), where the
    grid would hide its last columns behind a horizontal scroll."""
    if wrap:
        st.table(frame, hide_index=True)
    else:
        st.dataframe(frame, hide_index=True, width="stretch", key=key,
                     height=height or ("auto" if len(frame) <= 12 else 320))
    # Built on click (a callable): the map page's ten tables cost 0.2 s per rerun built eagerly.
    st.download_button("Tableau (CSV)", lambda: export.csv(numbers_from_fr_cells(frame)),
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
        st.warning(markdown_text(resolution.message))
        st.query_params.pop("commune", None)  # a shared link must not reopen the previous one
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
    # A row that wraps: in equal columns, « Guadeloupe » was cut to « G… » at 1400 px.
    with st.container(horizontal=True, gap="small"):
        for target in (views.NATIONAL, *views.SHORTCUTS):
            text = "France" if target == views.NATIONAL else views.GROUP_LABELS.get(target) or \
                names.get(target, target)
            st.button(text, key=f"go_{target}", width="content", disabled=choice == target,
                      on_click=lambda t=target: st.session_state.update(vue=t))
    return choice
