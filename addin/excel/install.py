r"""``pmo addin install | status | remove``: put PMO.xlam where Excel loads it, and check it.

Pure Python over a :class:`Machine` (system, home, environment, the Python to
configure, the Excel executables found), so every rule is tested on Linux by
describing a Windows or macOS machine. What install does:

1. refuses where it cannot work: Linux (no desktop Excel), and Microsoft Store
   Excel, whose sandbox keeps xlwings' UDF server from starting (UDFs hang, then
   "Could not activate Python COM server", xlwings issue #1166);
2. builds ``PMO.xlam`` from this package and the installed xlwings (or takes
   ``--xlam``), and refuses an add-in whose pmo-addin or xlwings version is not
   the installed one (its xlwings DLL/AppleScript names carry the version);
3. copies it into Excel's startup folder, creating it: the user's ``XLSTART``
   (``%APPDATA%\Microsoft\Excel\XLSTART``, a trusted location) or, with
   ``--global``, Excel's own ``XLSTART`` for every user; on macOS the Office
   startup folder;
4. writes the interpreter for *this* system into the user's ``pmo.conf``
   (``INTERPRETER_WIN`` or ``INTERPRETER_MAC``; the home folder as
   ``%USERPROFILE%`` or ``$HOME``), keeping every other line; xlwings reads
   that file for every workbook;
5. on macOS, installs xlwings' AppleScript, which ``RunPython`` needs (what
   ``xlwings runpython install`` does).

:func:`status` reports each of those, and each version mismatch, in words.
"""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from addin import __version__
from addin.core.errors import PmoError, os_reason
from addin.excel.userconf import conf_encoding, conf_key, read_user_conf, write_user_conf
from addin.excel.vba.reader import VbaReadError, module_sources, string_constant
from addin.excel.versions import xlwings_version
from addin.outputs.atomic import atomic_path

__all__ = ["ADDIN_NAME", "Check", "InstallError", "Machine", "install", "remove", "status"]

ADDIN_NAME = "PMO.xlam"
MAC_STARTUP = (
    "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
)
MAC_SANDBOX = "Library/Containers/com.microsoft.Excel/Data"
MAC_SCRIPTS = "Library/Application Scripts/com.microsoft.Excel"
EXIT_USAGE, EXIT_NOT_WRITTEN = 2, 4


class InstallError(PmoError):
    """Install, status or remove cannot go on; ``exit_code`` is the CLI's."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


@dataclass(frozen=True)
class Machine:
    """What install needs to know about this computer (tests describe others)."""

    system: str
    """``platform.system()``: ``Windows``, ``Darwin``, ``Linux`` ..."""
    home: Path
    """The user's home folder."""
    env: Mapping[str, str] = field(default_factory=dict)
    """Environment variables (``APPDATA``, ``USERPROFILE`` on Windows)."""
    python: str = sys.executable
    """The interpreter to configure when ``--python`` is not given."""
    excel_paths: tuple[str, ...] = ()
    """Windows: the ``EXCEL.EXE`` paths the registry names (App Paths)."""

    @classmethod
    def current(cls) -> Machine:
        """This computer."""
        import platform

        return cls(platform.system(), Path.home(), dict(os.environ), sys.executable, _excels())

    @property
    def windows(self) -> bool:
        """True on Windows."""
        return self.system == "Windows"


@dataclass(frozen=True)
class Check:
    """One line of ``pmo addin status``."""

    ok: bool
    text: str


def user_conf_path(machine: Machine) -> Path:
    """The user's ``pmo.conf`` as xlwings' VBA finds it (``GetConfigFilePath``)."""
    if machine.windows:
        return Path(machine.env.get("USERPROFILE") or machine.home) / ".pmo" / "pmo.conf"
    return machine.home / MAC_SANDBOX / "pmo.conf"


def startup_folder(machine: Machine, *, all_users: bool = False) -> Path:
    """The folder whose add-ins Excel opens at start (``XLSTART``).

    Raises:
        InstallError: For ``all_users`` on macOS, or when no desktop Excel was found.
    """
    if not machine.windows:
        if all_users:
            raise InstallError("--global is for Windows; on macOS the add-in is per user")
        return machine.home / MAC_STARTUP
    if all_users:
        desktop = [p for p in machine.excel_paths if not _store(p)]
        if not desktop:
            raise InstallError("--global: no desktop Excel found in the registry (App Paths)")
        return Path(_windows_parent(desktop[0])) / "XLSTART"
    roaming = machine.env.get("APPDATA") or str(machine.home / "AppData" / "Roaming")
    return Path(roaming) / "Microsoft" / "Excel" / "XLSTART"


def install(
    machine: Machine,
    *,
    python: str | None = None,
    all_users: bool = False,
    xlam: Path | None = None,
    macros_dir: Path | None = None,
) -> list[str]:
    """Install the add-in for ``machine``; return what was done, one line each.

    Args:
        machine: The computer (:meth:`Machine.current`).
        python: The interpreter the add-in runs (default ``machine.python``).
        all_users: Excel's own ``XLSTART`` (Windows, needs an elevated prompt).
        xlam: An add-in to install instead of building one.
        macros_dir: The add-in's sources, when building (default: the checkout's).

    Raises:
        InstallError: Where the add-in cannot work or cannot be written.
    """
    _supported(machine)
    interpreter = python or machine.python
    folder = startup_folder(machine, all_users=all_users)
    target = folder / ADDIN_NAME
    lines = []
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as temp:
            if xlam is None:
                from addin.excel.xlam import build_addin

                build_addin(temp, macros_dir)
            else:
                shutil.copyfile(xlam, temp)
            problems = _addin_mismatches(temp)
            if problems:
                raise InstallError(
                    " ".join(problems) + " Rebuild it with `pmo build-addin` from this Python, "
                    "or run `pmo addin install` without --xlam."
                )
    except PmoError as error:
        if isinstance(error, InstallError):
            raise
        raise InstallError(str(error), EXIT_NOT_WRITTEN) from error
    except OSError as error:
        raise InstallError(
            f"{target}: cannot write the add-in ({os_reason(error)}). Quit Excel and "
            "run again"
            + ("; for --global, from an elevated Command Prompt." if all_users else "."),
            EXIT_NOT_WRITTEN,
        ) from error
    lines.append(f"installed {target} (Excel opens it at start)")
    conf = user_conf_path(machine)
    key = conf_key(machine.windows)
    value = _with_variables(interpreter, machine)
    try:
        write_user_conf(conf, key, value, conf_encoding(machine.windows))
    except ValueError as error:
        raise InstallError(f"{conf}: {error}; give --python a path without it") from error
    except OSError as error:
        raise InstallError(f"{conf}: cannot write ({os_reason(error)})", 4) from error
    lines.append(f"wrote {key} = {value} to {conf}")
    if not machine.windows:
        script = _install_applescript(machine)
        lines.append(f"installed xlwings' AppleScript {script} (RunPython needs it on macOS)")
    lines.append("Start Excel (quit it first if it is running): the PMO tab appears.")
    return lines


def status(machine: Machine) -> list[Check]:
    """Every check of the installed add-in and its settings, in words.

    Raises:
        InstallError: On a system where the add-in cannot work.
    """
    _supported(machine)
    checks = []
    found = [p for p in _candidates(machine) if p.is_file()]
    if not found:
        checks.append(Check(False, f"PMO.xlam is not installed (not in {startup_folder(machine)})"))
    for path in found:
        problems = _addin_mismatches(path)
        checks.append(Check(not problems, f"PMO.xlam at {path}" + ("" if problems else ": ok")))
        checks += [Check(False, problem) for problem in problems]
    conf = user_conf_path(machine)
    key = conf_key(machine.windows)
    value = read_user_conf(conf, conf_encoding(machine.windows)).get(key.lower(), "")
    if not value:
        checks.append(
            Check(False, f"{conf} names no {key}: the add-in runs `python` from the PATH")
        )
    else:
        path = Path(_expand(value, machine))
        exists = path.is_file()
        checks.append(
            Check(exists, f"{key} = {value}" + ("" if exists else f": {path} does not exist"))
        )
        if exists and machine.windows:
            checks.append(_dll_check(path))
    if not machine.windows:
        script = machine.home / MAC_SCRIPTS / f"xlwings-{xlwings_version()}.applescript"
        checks.append(
            Check(
                script.is_file(),
                f"xlwings' AppleScript {script}"
                + (": ok" if script.is_file() else " is missing: run `pmo addin install`"),
            )
        )
    return checks


def remove(machine: Machine, *, all_users: bool = False) -> list[str]:
    """Remove the installed add-in (the user's ``pmo.conf`` stays); return what was done.

    Raises:
        InstallError: Where it cannot work, or when the file is in use.
    """
    _supported(machine)
    target = startup_folder(machine, all_users=all_users) / ADDIN_NAME
    if not target.exists():
        return [f"nothing to remove: {target} does not exist"]
    try:
        target.unlink()
    except OSError as error:
        raise InstallError(
            f"{target}: cannot remove it ({os_reason(error)}); quit Excel and run again",
            EXIT_NOT_WRITTEN,
        ) from error
    return [f"removed {target}", f"kept {user_conf_path(machine)} (your settings)"]


# --- helpers ---------------------------------------------------------------------------------


def _supported(machine: Machine) -> None:
    if machine.system not in ("Windows", "Darwin"):
        raise InstallError(
            f"the Excel add-in runs on Windows and macOS, not on {machine.system}: build it "
            "here with `pmo build-addin` and run `pmo addin install` on the Excel computer"
        )
    if machine.windows and machine.excel_paths and all(_store(p) for p in machine.excel_paths):
        raise InstallError(
            f"this Excel is the Microsoft Store version ({machine.excel_paths[0]}): its sandbox "
            "stops xlwings from starting Python for worksheet functions. Install Office from "
            "office.com (Click-to-Run), then run `pmo addin install` again"
        )


def _store(path: str) -> bool:
    return "\\windowsapps\\" in path.lower().replace("/", "\\")


def _windows_parent(path: str) -> str:
    return path.rstrip("\\/").rsplit("\\", 1)[0] if "\\" in path else str(Path(path).parent)


def _candidates(machine: Machine) -> list[Path]:
    out = [startup_folder(machine) / ADDIN_NAME]
    if machine.windows and any(not _store(p) for p in machine.excel_paths):
        out.append(startup_folder(machine, all_users=True) / ADDIN_NAME)
    return out


def _addin_mismatches(path: Path) -> list[str]:
    try:
        sources = module_sources(path)
    except VbaReadError as error:
        return [str(error)]
    built = string_constant(sources, "PMO_ADDIN_VERSION")
    carried = string_constant(sources, "XLWINGS_VERSION")
    problems = []
    if built != __version__:
        problems.append(
            f"{path.name} was built by pmo-addin {built or '(unknown)'}, this is {__version__}."
        )
    if carried != xlwings_version():
        problems.append(
            f"{path.name} carries the VBA of xlwings {carried or '(unknown)'}, but xlwings "
            f"{xlwings_version()} is installed: its DLL/AppleScript names would not be found."
        )
    return problems


def _with_variables(interpreter: str, machine: Machine) -> str:
    """The home folder at the start of the path as ``%USERPROFILE%`` / ``$HOME``."""
    if machine.windows:
        profile = machine.env.get("USERPROFILE", "")
        if profile and interpreter.lower().startswith(profile.rstrip("\\").lower() + "\\"):
            return "%USERPROFILE%" + interpreter[len(profile.rstrip("\\")) :]
        return interpreter
    home = str(machine.home).rstrip("/")
    if interpreter.startswith(home + "/"):
        return "$HOME" + interpreter[len(home) :]
    return interpreter


def _expand(value: str, machine: Machine) -> str:
    if machine.windows:
        profile = machine.env.get("USERPROFILE", str(machine.home))
        return value.replace("%USERPROFILE%", profile)
    return value.replace("$HOME", str(machine.home), 1) if value.startswith("$HOME") else value


def _dll_check(interpreter: Path) -> Check:
    """Windows UDFs load xlwings64-<version>.dll beside the interpreter or one folder up."""
    name = f"xlwings64-{xlwings_version()}.dll"
    places = [interpreter.parent / name, interpreter.parent.parent / name]
    found = next((p for p in places if p.is_file()), None)
    if found is not None:
        return Check(True, f"{name} at {found}")
    return Check(
        False,
        f"{name} is not beside {interpreter} (nor one folder up): worksheet functions will say "
        f'"Could not load {name}"; install xlwings {xlwings_version()} into that Python',
    )


def _install_applescript(machine: Machine) -> Path:
    name = f"xlwings-{xlwings_version()}.applescript"
    source = resources.files("xlwings").joinpath(name)
    target = machine.home / MAC_SCRIPTS / name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        with atomic_path(target) as temp:
            temp.write_bytes(source.read_bytes())
    except OSError as error:
        raise InstallError(f"{target}: cannot write ({os_reason(error)})", 4) from error
    return target


def _excels() -> tuple[str, ...]:  # pragma: no cover - reads the Windows registry
    if sys.platform != "win32":
        return ()
    import winreg

    found = []
    key = r"SOFTWARE\Microsoft\Windows\CurrentVersion\App Paths\excel.exe"
    for hive in (winreg.HKEY_CURRENT_USER, winreg.HKEY_LOCAL_MACHINE):
        try:
            with winreg.OpenKey(hive, key) as handle:
                found.append(str(winreg.QueryValue(handle, None)))
        except OSError:
            continue
    return tuple(dict.fromkeys(found))
