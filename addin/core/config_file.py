"""The settings file's name: a constant of its own so the command line can name it cheaply.

Importing :mod:`addin.core.settings` declares every settings section; ``pmo --help`` and
every ribbon click that only needs this name should not pay for that.
"""

#: The settings file a folder may hold (``./pmo.toml``).
CONFIG_FILENAME = "pmo.toml"
