"""``pmo addin install | status | remove`` on described Windows, macOS and Linux machines."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import xlwings
from typer.testing import CliRunner

from addin import __version__
from addin.cli import app
from addin.excel import install as inst
from addin.excel.install import InstallError, Machine, install, remove, startup_folder, status
from addin.excel.userconf import read_user_conf, write_user_conf
from addin.excel.vba.reader import VbaReadError, module_sources, string_constant
from addin.excel.xlam import build_addin

from .conftest import MACROS

XLWINGS_DIR = Path(xlwings.__file__).parent
DLL = f"xlwings64-{xlwings.__version__}.dll"


def windows(tmp_path: Path, **changes: object) -> Machine:
    profile = tmp_path / "Users" / "me"
    profile.mkdir(parents=True, exist_ok=True)
    env = {"USERPROFILE": str(profile), "APPDATA": str(profile / "AppData" / "Roaming")}
    fields: dict[str, object] = {
        "system": "Windows",
        "home": profile,
        "env": env,
        "python": str(profile) + "\\pmo-venv\\Scripts\\python.exe",
        "excel_paths": (r"C:\Program Files\Microsoft Office\root\Office16\EXCEL.EXE",),
    }
    fields.update(changes)
    return Machine(**fields)  # type: ignore[arg-type]


def mac(tmp_path: Path) -> Machine:
    home = tmp_path / "Users" / "me"
    home.mkdir(parents=True, exist_ok=True)
    return Machine("Darwin", home, {}, str(home / "pmo-venv" / "bin" / "python"))


def test_linux_is_refused_with_exit_2(tmp_path: Path) -> None:
    linux = Machine("Linux", tmp_path)
    for action in (lambda: install(linux), lambda: status(linux), lambda: remove(linux)):
        with pytest.raises(InstallError, match="runs on Windows and macOS, not on Linux") as info:
            action()
        assert info.value.exit_code == 2
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", [["install"], ["status"], ["remove"]])
def test_the_cli_says_so_on_linux(command: list[str]) -> None:
    result = CliRunner().invoke(app, ["addin", *command])
    assert result.exit_code == 2
    assert "not on Linux" in result.output


def test_every_addin_command_has_help() -> None:
    for command in ("install", "status", "remove"):
        result = CliRunner().invoke(app, ["addin", command, "--help"])
        assert result.exit_code == 0 and "Usage" in result.output


def test_microsoft_store_excel_is_refused(tmp_path: Path) -> None:
    store = (
        r"C:\Program Files\WindowsApps\Microsoft.Office.Desktop.Excel_16051.0_x86__8wekyb3d8bbwe"
        r"\Office16\EXCEL.EXE"
    )
    machine = windows(tmp_path, excel_paths=(store,))
    with pytest.raises(InstallError, match="Microsoft Store version") as info:
        install(machine)
    assert info.value.exit_code == 2
    assert not startup_folder(windows(tmp_path)).exists()
    # a desktop Excel beside it is fine
    both = windows(tmp_path, excel_paths=(store, windows(tmp_path).excel_paths[0]))
    inst._supported(both)


def test_install_on_windows(tmp_path: Path) -> None:
    machine = windows(tmp_path)
    profile = Path(machine.env["USERPROFILE"])
    conf = profile / ".pmo" / "pmo.conf"
    conf.parent.mkdir()
    conf.write_bytes(b'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","C:\\old\\python.exe"\r\n')
    lines = install(machine)
    xlstart = profile / "AppData" / "Roaming" / "Microsoft" / "Excel" / "XLSTART"
    assert (xlstart / "PMO.xlam").is_file()  # XLSTART created
    assert lines[0] == f"installed {xlstart / 'PMO.xlam'} (Excel opens it at start)"
    value = "%USERPROFILE%\\pmo-venv\\Scripts\\python.exe"
    assert lines[1] == f"wrote INTERPRETER_WIN = {value} to {conf}"
    assert conf.read_bytes() == f'"SHOW CONSOLE","True"\r\n"INTERPRETER_WIN","{value}"\r\n'.encode()
    assert (conf.parent / "pmo.conf.bak").read_bytes().startswith(b'"SHOW CONSOLE"')
    sources = module_sources(xlstart / "PMO.xlam")
    assert string_constant(sources, "PMO_ADDIN_VERSION") == __version__
    assert string_constant(sources, "PMO_PYTHON_WIN") == ""  # nothing baked in
    # status: the interpreter does not exist yet, then its DLL is missing, then all is well
    texts = [(c.ok, c.text) for c in status(machine)]
    assert (True, f"PMO.xlam at {xlstart / 'PMO.xlam'}: ok") in texts
    assert any(not ok and "does not exist" in text for ok, text in texts)
    Path(machine.python).write_text("", "utf-8")
    texts = [(c.ok, c.text) for c in status(machine)]
    assert any(not ok and f'"Could not load {DLL}"' in text for ok, text in texts)
    (Path(machine.python).parent / DLL).write_text("", "utf-8")
    assert all(c.ok for c in status(machine)), status(machine)


def test_install_on_macos(tmp_path: Path) -> None:
    machine = mac(tmp_path)
    lines = install(machine, python=str(machine.home / "venv" / "bin" / "python3"))
    startup = machine.home / inst.MAC_STARTUP
    assert (startup / "PMO.xlam").is_file()
    conf = machine.home / "Library/Containers/com.microsoft.Excel/Data/pmo.conf"
    assert conf.read_bytes() == b'"INTERPRETER_MAC","$HOME/venv/bin/python3"\r\n'
    script = machine.home / inst.MAC_SCRIPTS / f"xlwings-{xlwings.__version__}.applescript"
    original = resources.files("xlwings").joinpath(script.name).read_bytes()
    assert script.read_bytes() == original
    assert any("AppleScript" in line for line in lines)
    Path(machine.home / "venv" / "bin").mkdir(parents=True)
    (machine.home / "venv" / "bin" / "python3").write_text("", "utf-8")
    assert all(c.ok for c in status(machine)), status(machine)
    script.unlink()
    assert [c.text for c in status(machine) if not c.ok] == [
        f"xlwings' AppleScript {script} is missing: run `pmo addin install`"
    ]


def test_global_goes_to_excels_own_xlstart(tmp_path: Path) -> None:
    folder = startup_folder(windows(tmp_path), all_users=True)
    assert str(folder).startswith(r"C:\Program Files\Microsoft Office\root\Office16")
    assert folder.name == "XLSTART" or str(folder).endswith("XLSTART")
    with pytest.raises(InstallError, match="--global is for Windows"):
        startup_folder(mac(tmp_path), all_users=True)


def test_an_addin_of_another_version_is_refused_and_nothing_is_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import addin.excel.xlam as xlam

    monkeypatch.setattr(xlam, "__version__", "0.0.1")
    old = build_addin(tmp_path / "old" / "PMO.xlam", MACROS)
    monkeypatch.undo()
    machine = windows(tmp_path)
    with pytest.raises(InstallError, match=r"built by pmo-addin 0\.0\.1, this is") as info:
        install(machine, xlam=old)
    assert info.value.exit_code == 2
    assert not startup_folder(machine).exists() or not any(startup_folder(machine).iterdir())
    assert not (Path(machine.env["USERPROFILE"]) / ".pmo").exists()


def test_status_names_every_mismatch_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = windows(tmp_path)
    install(machine)
    monkeypatch.setattr(inst, "xlwings_version", lambda: "0.99.0")
    monkeypatch.setattr(inst, "__version__", "9.9.9")
    problems = [c.text for c in status(machine) if not c.ok]
    assert f"PMO.xlam was built by pmo-addin {__version__}, this is 9.9.9." in problems
    assert (
        f"PMO.xlam carries the VBA of xlwings {xlwings.__version__}, but xlwings 0.99.0 is "
        "installed: its DLL/AppleScript names would not be found."
    ) in problems


def test_status_without_an_install(tmp_path: Path) -> None:
    machine = windows(tmp_path, excel_paths=())
    texts = [c.text for c in status(machine) if not c.ok]
    assert texts[0].startswith("PMO.xlam is not installed (not in ")
    assert "names no INTERPRETER_WIN: the add-in runs `python` from the PATH" in texts[1]


def test_remove_keeps_the_users_settings(tmp_path: Path) -> None:
    machine = windows(tmp_path)
    install(machine)
    target = startup_folder(machine) / "PMO.xlam"
    assert remove(machine)[0] == f"removed {target}"
    assert not target.exists()
    assert (Path(machine.env["USERPROFILE"]) / ".pmo" / "pmo.conf").is_file()
    assert remove(machine) == [f"nothing to remove: {target} does not exist"]


def test_the_cli_maps_install_errors_to_exit_codes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    machine = windows(tmp_path)
    monkeypatch.setattr(Machine, "current", classmethod(lambda cls: machine))
    result = CliRunner().invoke(app, ["addin", "install"])
    assert result.exit_code == 0, result.output
    assert "installed " in result.output
    result = CliRunner().invoke(app, ["addin", "status"])
    assert result.exit_code == 1  # the interpreter file does not exist here
    assert "PROBLEM  INTERPRETER_WIN = %USERPROFILE%" in result.output
    result = CliRunner().invoke(app, ["addin", "install", "--xlam", str(tmp_path / "nope.xlam")])
    assert result.exit_code == 4 and "cannot write the add-in" in result.output


def test_user_conf_keeps_other_lines_and_refuses_what_vba_cannot_read(tmp_path: Path) -> None:
    conf = tmp_path / "pmo.conf"
    write_user_conf(conf, "INTERPRETER_MAC", "/a/python")
    write_user_conf(conf, "Debug UDFs", "True")
    write_user_conf(conf, "interpreter_mac", "/b/python")
    assert read_user_conf(conf) == {"debug udfs": "True", "interpreter_mac": "/b/python"}
    with pytest.raises(ValueError, match="double quote"):
        write_user_conf(conf, "X", 'a"b')
    with pytest.raises(ValueError, match="not in cp1252"):
        write_user_conf(conf, "X", "C:\\Users\\名前\\python.exe", "cp1252")
    write_user_conf(tmp_path / "w.conf", "X", "C:\\Users\\Zoë\\python.exe", "cp1252")
    assert (tmp_path / "w.conf").read_bytes() == b'"X","C:\\Users\\Zo\xeb\\python.exe"\r\n'


def test_the_reader_reads_excel_made_files_too(tmp_path: Path) -> None:
    """xlwings' quickstart add-in was saved by Excel (compiled code before the source)."""
    sources = module_sources(XLWINGS_DIR / "quickstart_addin.xlam")
    assert string_constant(sources, "XLWINGS_VERSION") == xlwings.__version__
    assert "ThisWorkbook" in sources
    (tmp_path / "x.xlam").write_bytes(b"not a zip")
    with pytest.raises(VbaReadError, match="no readable VBA project"):
        module_sources(tmp_path / "x.xlam")
