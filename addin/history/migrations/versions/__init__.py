"""Alembic revisions of the history schema (see the parent package)."""
