"""PMO governance add-in: validate, consolidate and report on Excel project trackers.

The engine (everything outside :mod:`addin.excel`) is pure Python and never imports
xlwings, so it runs on a server with no Excel. :mod:`addin.excel` is the thin layer
that Excel's ribbon and worksheet functions call.
"""

from functools import cache


@cache
def _version() -> str:
    """The installed distribution's version, read on first use (not at every start)."""
    from importlib.metadata import PackageNotFoundError, version  # 20 ms: only when asked

    try:
        return version("pmo-addin")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0.0.0"


def __getattr__(name: str) -> str:
    """``addin.__version__``, computed lazily: importlib.metadata costs every ribbon click."""
    if name == "__version__":
        return _version()
    raise AttributeError(f"module 'addin' has no attribute {name!r}")


#: Version of the tracker contract (shared/TRACKER_SPEC.md) this engine implements.
SPEC_VERSION = "1.1"
#: Version written into the governed template's custom document property.
TEMPLATE_VERSION = "1.1"
