"""``python -m addin`` runs the ``pmo`` command."""

from addin.cli import run

run()
