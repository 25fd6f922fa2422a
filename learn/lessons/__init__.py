"""Lessons: the pages to read modules and lessons, and search."""
