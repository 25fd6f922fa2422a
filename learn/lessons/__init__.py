"""Lessons: markdown content loaded from files, pages to read them, and search."""
