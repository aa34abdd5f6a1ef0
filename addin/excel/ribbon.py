"""The PMO ribbon's buttons: :func:`dispatch` maps a button id to its handler.

Every button on the PMO tab (``macros/customUI14.xml``) runs, through the VBA
callback ``PMO_OnAction`` and xlwings' ``RunPython``::

    import addin.excel.ribbon as r; r.dispatch('pmoValidate', addin_version='0.1.0',
                                               xlwings_version='0.37.8')

:func:`dispatch` first checks the add-in's versions against this Python's
(:mod:`addin.excel.versions`): a mismatch is a message and nothing runs. Each
action, its outcome and any error go to ``~/.pmo/pmo.log`` (:mod:`addin.excel.log`).

:data:`BUTTONS` is the one registry: a button is one ``<button>`` in
``customUI14.xml`` (its ``tag`` says whether it needs an open workbook or a
folder) plus one entry here; a test checks that both name the same ids.

Each handler is thin: get the book from the :class:`~addin.excel.book.Host`, read
it, call one engine function, write the result back or open it, and return one
message, which the host shows. Handlers never raise: an engine error becomes the
message. In Excel the host is :class:`~addin.excel.xw_book.XwHost` (created
only here, on the xlwings path); tests and scripts pass ``host=FileHost(...)``.

Settings: ``pmo.toml`` beside the active workbook (for Consolidate: in the
chosen folder), else the file named by ``$PMO_CONFIG``, else the defaults. See
:func:`addin.excel.book.settings_for`.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from addin import SPEC_VERSION, TEMPLATE_VERSION, __version__
from addin.core.findings import FileStatus, Severity
from addin.core.settings import CONFIG_FILENAME, Settings, to_toml
from addin.core.words import counted
from addin.excel.book import (
    CONFIG_ENV,
    Host,
    free_path,
    settings_file,
    settings_for,
    written_by_pmo,
)
from addin.excel.deck_buttons import on_status_report, on_steering_pack
from addin.excel.log import log, log_path
from addin.excel.portfolio_book import dashboard_of_active
from addin.excel.ribbon_onboarding import on_adopt, on_inspect
from addin.excel.ribbon_resources import on_resources
from addin.excel.versions import AddinBuild, mismatch_message, mismatches, python_version

__all__ = ["BUTTONS", "HANDLERS", "Button", "dispatch"]

PORTFOLIO_NAME = "portfolio"
NEW_TRACKER_NAME = "New Tracker"
#: Unreadable files listed by name in Consolidate's message (the rest are counted).
LIST_LIMIT = 8


def _as_of(value: dt.date | str | None) -> dt.date:
    if value is None or value == "":
        return dt.date.today()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def _folder_of(host: Host) -> Path | None:
    book = host.active_book()
    return book.path.parent if book is not None and book.path is not None else None


def _claim(folder: Path, stem: str) -> Path:
    """Create an empty ``stem.xlsx`` (or ``stem (2).xlsx`` ...) that did not exist; return it.

    Creating the file claims the name, so writing the tracker over it never replaces
    a file someone else made in the meantime.
    """
    n = 1
    while True:
        candidate = folder / (f"{stem}.xlsx" if n == 1 else f"{stem} ({n}).xlsx")
        try:
            candidate.open("x").close()
        except FileExistsError:
            n += 1
            continue
        return candidate


# --- the handlers ---------------------------------------------------------------------------


def on_validate(host: Host, *, as_of: dt.date | str | None = None) -> str:
    """Validate the active workbook and mark its findings, as ``pmo validate --annotate`` does."""
    from addin.app.validate import validate_book
    from addin.outputs.annotate.marks import apply

    book = host.active_book()
    if book is None:
        return "Open a project tracker, then click Validate."
    settings, _ = settings_for(book.path.parent if book.path is not None else None)
    book.configure(settings)
    name = str(book.path) if book.path is not None else book.name
    host.status(f"PMO: validating {book.name} ...")
    try:
        report = validate_book(book, name, settings, as_of=_as_of(as_of))
        if report.status in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER):
            return f"{book.name} was not validated: {report.reason}"
        findings = report.findings
        plan = apply(book, findings)
        saved = book.save()
    finally:
        book.close()
    errors = sum(1 for f in findings if f.severity is Severity.ERROR)
    lines = [
        f"{book.name}: {counted(errors, 'error')}, {counted(len(findings) - errors, 'warning')}."
    ]
    if findings:
        lines.append(
            f"{counted(len(plan.marks), 'cell')} marked (hover for the note); "
            "every finding is listed on the Validation sheet."
        )
    else:
        lines.append("The tracker meets the PMO standard.")
    if saved is not None:
        lines.append(f"Saved {saved} (the previous version is kept beside it as a .bak file).")
    return "\n".join(lines)


def on_new_tracker(host: Host) -> str:
    """Create a tracker from the template beside the active workbook (or in home) and open it."""
    from addin.app.new_tracker import new_tracker

    folder = _folder_of(host) or Path.home()
    settings, _ = settings_for(folder)
    path = _claim(folder, NEW_TRACKER_NAME)
    try:
        new_tracker(path, settings)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    host.open(path)
    return f"Created {path}.\nFill in the Project sheet and the plan, save, then click Validate."


def on_consolidate(
    host: Host, *, folder: str | Path | None = None, as_of: dt.date | str | None = None
) -> str:
    """Consolidate a folder's trackers into ``portfolio.xlsx`` in that folder and open it."""
    from addin.app.consolidate import Outputs, cache_beside, consolidate, write_outputs
    from addin.app.find import find_trackers
    from addin.app.history import remember_beside

    if folder is None or not str(folder).strip():
        return "Choose the folder that holds the project trackers to consolidate."
    root = Path(str(folder).strip()).expanduser().resolve()
    if not root.is_dir():
        return f"{root} is not a folder."
    settings, _ = settings_for(root)
    files = [p for p in find_trackers([root]).files if not written_by_pmo(p)]
    if not files:
        return f"No workbooks (.xlsx, .xlsm, .xls) in {root}."
    output = free_path(root, PORTFOLIO_NAME, reuse_ours=True)

    def progress(done: int, total: int, file: str) -> None:
        host.status(f"PMO: consolidating {done}/{total}: {Path(file).name}")

    result = consolidate(
        files,
        settings,
        as_of=_as_of(as_of),
        cache=cache_beside(output),
        progress=progress,
        spill=output.parent,
    )
    write_outputs(result, settings, Outputs(portfolio=output))
    kept = remember_beside(result, settings, output)
    host.open(output)
    by = {s: sum(1 for r in result.reports if r.status is s) for s in FileStatus}
    lines = [
        f"Consolidated {counted(len(result.reports), 'file')} from {root}: "
        f"{counted(len(result.projects), 'project')}; "
        f"{by[FileStatus.VALID]} valid, {by[FileStatus.INVALID]} invalid, "
        f"{by[FileStatus.UNREADABLE]} unreadable, {by[FileStatus.NOT_A_TRACKER]} not a tracker; "
        f"{counted(result.errors, 'validation error')}.",
        f"Wrote {output}.",
        kept[0].upper() + kept[1:],
    ]
    skipped = [
        r for r in result.reports if r.status in (FileStatus.UNREADABLE, FileStatus.NOT_A_TRACKER)
    ]
    if skipped:
        lines.append("Not read:")
        lines.extend(f"  {Path(r.file).name}: {r.reason}" for r in skipped[:LIST_LIMIT])
        if len(skipped) > LIST_LIMIT:
            lines.append(f"  ... and {len(skipped) - LIST_LIMIT} more (see the Load Log sheet).")
    return "\n".join(lines)


def on_dashboard(host: Host) -> str:
    """Build ``dashboard.xlsx`` beside the active portfolio workbook and open it."""
    built = dashboard_of_active(host, "Dashboard")
    if isinstance(built, str):
        return built
    host.open(built.output)
    portfolio = built.portfolio
    return (
        f"Wrote {built.output}: {counted(len(portfolio.projects), 'project')}, "
        f"as of {portfolio.as_of:%d %b %Y}." + built.note
    )


def on_settings(host: Host) -> str:
    """Open the ``pmo.toml`` beside the active workbook, creating a commented one if missing."""
    from addin.core.errors import ConfigError
    from addin.core.settings import load_settings
    from addin.outputs.atomic import atomic_path

    folder = _folder_of(host) or Path.home()
    path = folder / CONFIG_FILENAME
    created = not path.exists()
    if created:
        with atomic_path(path) as tmp:
            tmp.write_text(to_toml(Settings()), encoding="utf-8")
    lines = [
        f"Settings for the workbooks in {folder}: {path}"
        + (" (new: every setting at its default, each explained)." if created else "."),
        "Edit and save it, then click the button again (Validate, Consolidate ...).",
    ]
    try:
        load_settings(path)
    except ConfigError as exc:
        lines.append(f"It has a problem: {exc}")
    host.open(path)
    return "\n".join(lines)


def on_about(host: Host, *, build: AddinBuild | None = None) -> str:
    """Versions of the add-in, the package, xlwings and Python, and the settings in use."""
    from addin.excel.versions import xlwings_version

    folder = _folder_of(host)
    used = settings_file(folder=folder)
    udf = os.environ.get(CONFIG_ENV, "").strip()
    addin = (
        f"PMO.xlam {build.addin_version}, with the VBA of xlwings {build.xlwings_version}"
        if build is not None
        else "PMO.xlam: not reported (called from Python, not from the ribbon)"
    )
    return "\n".join(
        [
            addin,
            f"pmo-addin {__version__} (tracker standard v{SPEC_VERSION}, template "
            f"{TEMPLATE_VERSION})",
            f"xlwings {xlwings_version()}",
            f"Python {python_version()}",
            f"Settings: {used if used is not None else 'built-in defaults (no pmo.toml here)'}",
            f"Worksheet functions' settings: {udf or 'built-in defaults ($PMO_CONFIG not set)'}",
            f"Log: {log_path()}",
        ]
    )


@dataclass(frozen=True)
class Button:
    """One ribbon button: its label (for messages) and its handler."""

    label: str
    """The button's label on the ribbon, as in ``customUI14.xml``."""
    handler: Callable[..., str]
    """``handler(host, **options) -> message``: a thin call into the engine."""
    wants_build: bool = False
    """Pass the add-in's reported versions as ``build=`` (About shows them)."""


#: Button id -> button. Every id in macros/customUI14.xml has one, and every one
#: here has a <button> there (tests/excel/test_ribbon.py checks both ways).
BUTTONS: dict[str, Button] = {
    "pmoValidate": Button("Validate", on_validate),
    "pmoNewTracker": Button("New Tracker", on_new_tracker),
    "pmoStatusReport": Button("Status report", on_status_report),
    "pmoInspect": Button("Inspect", on_inspect),
    "pmoAdopt": Button("Adopt", on_adopt),
    "pmoConsolidate": Button("Consolidate", on_consolidate),
    "pmoDashboard": Button("Dashboard", on_dashboard),
    "pmoResources": Button("Resources", on_resources),
    "pmoSteeringPack": Button("Steering pack", on_steering_pack),
    "pmoSettings": Button("Settings", on_settings),
    "pmoAbout": Button("About", on_about, wants_build=True),
}
#: Button id -> handler (a view of :data:`BUTTONS`).
HANDLERS: dict[str, Callable[..., str]] = {key: b.handler for key, b in BUTTONS.items()}


def _live_host() -> Host:
    """The Excel that called us (RunPython), through xlwings."""
    from addin.excel.xw_book import XwHost

    return XwHost.from_caller()


def _joined(value: Any) -> Any:
    r"""Text with the VBA's ``\uD83D\uDE00`` escape pairs joined into one character again."""
    if not isinstance(value, str):
        return value
    try:
        return value.encode("utf-16", "surrogatepass").decode("utf-16")
    except UnicodeDecodeError:  # a lone surrogate: leave it for printable() to show
        return value


def dispatch(control_id: str, **kwargs: Any) -> str:
    """Run the handler of a ribbon button and show its message; return the message.

    Args:
        control_id: The button's id in ``customUI14.xml``, e.g. ``"pmoValidate"``.
        **kwargs: ``addin_version`` and ``xlwings_version`` (what the add-in
            reports; the ribbon always passes them, and a mismatch with this
            Python stops the button), ``host`` (default: the calling Excel,
            through xlwings), and the handler's own options: ``folder`` for
            Consolidate, ``as_of`` (a date or ``YYYY-MM-DD``) for Validate,
            Consolidate and Status report.

    Never raises: an unknown id, a version mismatch or a failing handler gives a message.
    """
    addin_version = kwargs.pop("addin_version", None)
    xlwings_reported = kwargs.pop("xlwings_version", None)
    build = None
    if addin_version is not None or xlwings_reported is not None:
        build = AddinBuild(str(addin_version or ""), str(xlwings_reported or ""))
    host: Host | None = kwargs.pop("host", None)
    options = {key: _joined(value) for key, value in kwargs.items()}
    log(f"button {control_id}: {options or 'no options'}")
    if host is None:
        try:
            host = _live_host()
        except Exception as exc:  # no Excel: say so rather than show a traceback
            text = f"PMO: cannot reach Excel ({type(exc).__name__}: {exc})"
            log(f"button {control_id}: {text}")
            return text
    button = BUTTONS.get(control_id)
    problems = mismatches(build) if build is not None else []
    if problems:
        text = mismatch_message(problems)
    elif button is None:
        text = (
            f"PMO: the button {control_id!r} has no action in pmo-addin {__version__} "
            f"(known: {', '.join(BUTTONS)}). Rebuild PMO.xlam with `pmo build-addin` "
            "from the same version."
        )
    else:
        if button.wants_build:
            options["build"] = build
        try:
            text = button.handler(host, **options)
        except Exception as exc:  # the edge: every failure becomes a message
            from addin.core.errors import PmoError

            reason = str(exc) if isinstance(exc, PmoError) else f"{type(exc).__name__}: {exc}"
            text = f"PMO {button.label} did not finish: {reason}"
            log(f"button {control_id}: error {type(exc).__name__}: {exc}")
        finally:
            host.status("")
    log(f"button {control_id}: {text}")
    host.message(text)
    return text
