"""PMO governance add-in: validate, consolidate and report on Excel project trackers.

The engine (everything outside :mod:`addin.excel`) is pure Python and never imports
xlwings, so it runs on a server with no Excel. :mod:`addin.excel` is the thin layer
that Excel's ribbon and worksheet functions call.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pmo-addin")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

#: Version of the tracker contract (shared/TRACKER_SPEC.md) this engine implements.
SPEC_VERSION = "1.1"
#: Version written into the governed template's custom document property.
TEMPLATE_VERSION = "1.1"
