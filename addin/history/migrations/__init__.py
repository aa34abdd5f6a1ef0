"""The history schema's Alembic migrations, shipped in the package and run from code.

One module per revision in ``versions/`` (``v0001_initial.py`` is revision ``0001``),
written by hand and frozen once released: a change to the schema is a new revision
whose ``down_revision`` is the newest one. :mod:`addin.history.migrate` runs them on
first use of a database; nothing here is ever dropped or downgraded.
"""
