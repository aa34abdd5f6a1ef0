"""Hostile and broken inputs, generated at test time (no large binaries are committed)."""
