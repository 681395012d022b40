"""What the app shows: filters and days (``filters``), the map layer (``map``) and its city labels
(``labels``), the view of one filter state (``view``), the review panel (``review``), documents by
title with their evidence marked (``documents``) and messages after an import (``notices``).

Pure functions of the incidents and the widget values, so the Streamlit script stays thin.
"""

from __future__ import annotations

from incidents.explore.filters import Filters, apply_filters, summarize
from incidents.explore.view import View, build_view

__all__ = ["Filters", "View", "apply_filters", "build_view", "summarize"]
