"""Placeholder: the git feature's history routes (replaced by their own helper's module)."""

ROUTES: list = []
