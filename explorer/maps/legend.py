"""The French map legend, drawn as a Leaflet control, showing only the layers that are on.

Each section names the layer it describes; the legend follows the layer control's
`overlayadd` / `overlayremove` events, so it never lists a layer the user switched off.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from branca.element import MacroElement

from explorer.maps._branca import _json_for_script, _VerbatimScript
from explorer.maps.classes import UNKNOWN_COLOUR, UNKNOWN_LABEL, Classes
from explorer.maps.sites import NETWORK_SYMBOLS


@dataclass(frozen=True)
class LegendSection:
    """One layer's legend: its classes (or a network's symbol), the layer name it follows
    (None: always shown) and whether that layer is on at first."""

    layer: str | None
    shown: bool
    classes: Classes | None = None
    network: str | None = None
    show_unknown: bool = True

    def html_text(self) -> str:
        if self.network is not None:
            symbol = html.escape(NETWORK_SYMBOLS.get(self.network, ("?",))[0])
            return (f'<ul><li><span class="site-marker site-{self.network.replace("_", "-")} '
                    f'legend-symbol"><b>{symbol}</b></span>{html.escape(self.layer or "")}'
                    "</li></ul>")
        colours, labels = self.classes.colours, self.classes.labels
        if self.show_unknown:
            colours, labels = (*colours, UNKNOWN_COLOUR), (*labels, UNKNOWN_LABEL)
        items = "".join(f'<li><span class="swatch" style="background:{colour}"></span>'
                        f"{html.escape(label)}</li>" for colour, label in zip(colours, labels))
        return f"<p>{html.escape(self.classes.title)}</p><ul>{items}</ul>"


class Legend(_VerbatimScript, MacroElement):
    """A French legend (bottom right) whose sections follow their layers; escaped in Python."""

    def __init__(self, sections: Sequence[LegendSection], note: str = ""):
        super().__init__()
        self._name = "Legend"
        self.sections = [(s.layer, s.shown, s.html_text()) for s in sections]
        self.note = note

    def build_script(self) -> str:
        return f"""(function () {{
  var sections = {_json_for_script(self.sections)};
  var note = {_json_for_script(html.escape(self.note))};
  var map = {self._parent.get_name()};
  var legend = L.control({{position: "bottomright"}});
  legend.onAdd = function () {{
    var div = L.DomUtil.create("div", "map-legend");
    div.setAttribute("role", "region");
    div.setAttribute("aria-label", "Légende de la carte");
    var html = "";
    sections.forEach(function (s, i) {{
      html += '<div data-section="' + i + '"' + (s[1] ? "" : ' hidden') + ">" + s[2] + "</div>";
    }});
    if (note) {{ html += "<small>" + note + "</small>"; }}
    div.innerHTML = html;
    L.DomEvent.disableClickPropagation(div);
    L.DomEvent.disableScrollPropagation(div);
    return div;
  }};
  legend.addTo(map);
  var toggle = function (name, on) {{
    sections.forEach(function (s, i) {{
      if (s[0] === name) {{
        legend.getContainer().querySelector('[data-section="' + i + '"]').hidden = !on;
      }}
    }});
  }};
  map.on("overlayadd", function (e) {{ toggle(e.name, true); }});
  map.on("overlayremove", function (e) {{ toggle(e.name, false); }});
}})();"""
