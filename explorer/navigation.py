"""The single page registry: sections of the app and their pages (plain data, testable)."""

from __future__ import annotations

from typing import NamedTuple


class PageSpec(NamedTuple):
    path: str  # relative to app.py
    title: str  # French, shown in the menu
    url_path: str
    icon: str
    public: bool = True  # shown in the hosted read-only demo (EXPLORER_PUBLIC=1)
    short: str = ""  # the presentation menu's label, one word, when the title is long

    @property
    def menu_label(self) -> str:
        return self.short or self.title


SECTIONS: dict[str, list[PageSpec]] = {
    "Le rapport": [
        PageSpec("pages/home.py", "Accueil", "accueil", ":material/home:"),
        PageSpec("pages/digital_divide.py", "Fracture numérique", "fracture-numerique", ":material/wifi_off:",
                 short="Fracture"),
        PageSpec("pages/channels.py", "Canaux de contact", "canaux", ":material/call:", short="Canaux"),
        PageSpec("pages/satisfaction.py", "Satisfaction et qualité de service", "satisfaction",
                 ":material/sentiment_satisfied:", short="Satisfaction"),
        PageSpec("pages/mediation.py", "Médiation numérique", "mediation", ":material/diversity_3:",
                 short="Médiation"),
        PageSpec("pages/non_take_up.py", "Non-recours", "non-recours", ":material/person_search:"),
    ],
    "Territoires": [
        PageSpec("pages/access_map.py", "Carte de l'accès", "carte", ":material/map:", short="Carte"),
    ],
    "Données": [
        PageSpec("pages/sql_console.py", "Données (SQL)", "sql", ":material/terminal:", short="SQL"),
        PageSpec("pages/sources.py", "Sources et jeux de données", "sources", ":material/dataset:",
                 short="Sources"),
        PageSpec("pages/imports.py", "Importer des données", "import", ":material/upload_file:",
                 public=False, short="Importer"),
    ],
}


def all_pages() -> list[PageSpec]:
    return [page for pages in SECTIONS.values() for page in pages]


def visible_sections(public: bool) -> dict[str, list[PageSpec]]:
    """The menu: every page, or in public mode only the read-only ones."""
    return {section: [p for p in pages if p.public or not public] for section, pages in SECTIONS.items()}
