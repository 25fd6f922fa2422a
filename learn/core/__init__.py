"""Shared services at the bottom of the site: rate limits, request inputs, health probes,
site-wide views and context processors. Nothing here imports another app of the site."""
