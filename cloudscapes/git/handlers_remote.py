"""Placeholder: the git feature's remote routes (replaced by their own helper's module)."""

ROUTES: list = []
