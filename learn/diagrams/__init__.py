"""Diagrams by URL: a spec carried in the URL itself, rendered as SVG or PNG, for slides and docs."""
