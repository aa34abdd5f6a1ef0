"""PMO governance add-in: validate, consolidate and report on Excel project trackers.

The engine (everything outside :mod:`addin.excel`) is pure Python and never imports
xlwings, so it runs on a server with no Excel. :mod:`addin.excel` is the thin layer
that Excel's ribbon and worksheet functions call.
"""

#: The distribution's version, written here once: ``pyproject.toml`` reads it from this line
#: when the package is built (``[tool.setuptools.dynamic]``). Reading the installed
#: metadata instead (``importlib.metadata``) cost every run that names the version (a
#: consolidation's cache, the portfolio's About sheet) about 50 million instructions.
__version__ = "0.1.0"

#: Version of the tracker contract (shared/TRACKER_SPEC.md) this engine implements.
SPEC_VERSION = "1.1"
#: Version written into the governed template's custom document property.
TEMPLATE_VERSION = "1.1"
