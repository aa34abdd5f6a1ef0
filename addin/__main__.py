"""``python -m addin`` runs the ``pmo`` command."""

from addin.cli import main

main()
