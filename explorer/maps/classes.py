"""Classed colours (STYLE §4.3): breaks, French class labels, colour-blind-safe palettes.

A handful of classes keeps the style table tiny whatever the number of zones, and the class is
also written in each tooltip, the legend and the table beside the map (nothing by colour alone).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd


# ColorBrewer sequential schemes, colour-blind safe (colorbrewer2.org): light = good access.
YLGNBU_5 = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")

YLGNBU_6 = ("#ffffcc", "#c7e9b4", "#7fcdbb", "#41b6c4", "#2c7fb8", "#253494")

ORRD_5 = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")

UNKNOWN_COLOUR = "#bdbdbd"

UNKNOWN_LABEL = "non estimé"

@dataclass(frozen=True)
class Classes:
    """A classed legend: title, one label and colour per class, and the unknown class."""

    title: str
    labels: tuple[str, ...]
    colours: tuple[str, ...]

    def colour(self, index: int) -> str:
        return self.colours[index] if 0 <= index < len(self.colours) else UNKNOWN_COLOUR

    def label(self, index: int) -> str:
        return self.labels[index] if 0 <= index < len(self.labels) else UNKNOWN_LABEL

def classify(values, breaks: Sequence[float]) -> np.ndarray:
    """Class index of each value for right-closed intervals: ≤ b0 → 0, (b0, b1] → 1, ...,
    > last → len(breaks); -1 where the value is missing."""
    v = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    out = np.searchsorted(np.asarray(breaks, float), v, side="left").astype(np.int64)
    out[~np.isfinite(v)] = -1
    return out

def _fr(x: float) -> str:
    return f"{x:g}".replace(".", ",")

def class_labels(breaks: Sequence[float], unit: str) -> tuple[str, ...]:
    """French labels of `classify` classes: ("15 min ou moins", "plus de 15 à 30 min", ...)."""
    labels = [f"{_fr(breaks[0])} {unit} ou moins"]
    labels += [f"plus de {_fr(a)} à {_fr(b)} {unit}" for a, b in zip(breaks, breaks[1:])]
    labels.append(f"plus de {_fr(breaks[-1])} {unit}")
    return tuple(labels)

def time_classes(breaks: Sequence[float] = (15, 30, 45, 60)) -> Classes:
    """Estimated minutes to the nearest site (communes)."""
    return Classes("Temps estimé jusqu'au site le plus proche", class_labels(breaks, "min"),
                   YLGNBU_5 if len(breaks) == 4 else YLGNBU_6[:len(breaks) + 1])

SHARE_BREAKS_PCT = (50, 80, 90, 95, 99)

def share_classes(threshold_min: int) -> Classes:
    """Share of the population within `threshold_min` (départements); dark = low share."""
    return Classes(f"Part de la population à {threshold_min} min ou moins",
                   class_labels(SHARE_BREAKS_PCT, "%"), tuple(reversed(YLGNBU_6)))

def operators_classes() -> Classes:
    """Number of operators estimated to serve the commune's centre in 4G (0-4); dark = none."""
    labels = ("aucun opérateur", "1 opérateur", "2 opérateurs", "3 opérateurs", "4 opérateurs")
    return Classes("Couverture 4G estimée (opérateurs)", labels, tuple(reversed(ORRD_5)))

POOR_SHARE_BREAKS_PCT = (1, 5, 10, 25)

def poor_coverage_classes(label: str) -> Classes:
    """Share of the population in poorly covered communes (départements); dark = high share."""
    return Classes(f"Population en commune à couverture 4G faible ({label})",
                   class_labels(POOR_SHARE_BREAKS_PCT, "%"), ORRD_5)
