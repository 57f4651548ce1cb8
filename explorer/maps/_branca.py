"""Branca plumbing shared by the map elements: verbatim scripts and JSON safe in <script>."""

from __future__ import annotations

import json
import re

from branca.element import CssLink, Element, JavascriptLink
from folium.template import Template


class _Verbatim(Element):
    """Text added to the figure as it is (no template)."""

    def __init__(self, text: str):
        super().__init__()
        self.text = text

    def render(self, **kwargs) -> str:
        return self.text

class _VerbatimScript:
    """Mixin for a MacroElement whose script is built once in Python and reaches the page
    verbatim.

    branca's MacroElement.render wraps each rendered script in a new Element, which compiles it
    as a Jinja template and renders it again: with megabytes of JSON that costs ~0.3 s per
    render (streamlit-folium renders twice), and a "{{" in imported data would be evaluated.
    The `script` macro serves streamlit-folium, which calls it directly.
    """

    _template = Template("{% macro script(this, kwargs) %}{{ this.script_text() }}{% endmacro %}")
    _script: tuple[tuple, str] | None = None

    def build_script(self) -> str:
        raise NotImplementedError

    def script_text(self) -> str:
        # Rebuilt when a variable name changes (streamlit-folium renames elements between
        # its two renders); build_script keeps its JSON in _json_cache.
        names = (self.get_name(), self._parent.get_name() if self._parent else None)
        if self._script is None or self._script[0] != names:
            self._script = (names, self.build_script())
        return self._script[1]

    def cached_json(self, value) -> str:
        """`_json_for_script(value)`, serialised once per element."""
        if getattr(self, "_json_cache", None) is None:
            self._json_cache = _json_for_script(value)
        return self._json_cache

    def render(self, **kwargs) -> None:
        figure = self.get_root()
        for name, url in getattr(self, "default_js", []):
            figure.header.add_child(JavascriptLink(url), name=name)
        for name, url in getattr(self, "default_css", []):
            figure.header.add_child(CssLink(url), name=name)
        figure.script.add_child(_Verbatim(self.script_text()), name=self.get_name())

_TEMPLATE_OPENERS = re.compile(r"\{(?=[{%#])")

def _json_for_script(value) -> str:
    """JSON safe inside a <script> element and through any Jinja pass.

    "<", ">", "&" are escaped as in Jinja's tojson (no "</script>"), and a "{" opening a Jinja
    delimiter ("{{", "{%", "{#") becomes \\u007b: JSON syntax never has one, so it is always
    inside a string, where the escape means the same character.
    """
    text = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return _TEMPLATE_OPENERS.sub(r"\\u007b", text)
