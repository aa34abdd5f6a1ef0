"""Issue 12 item 4: trackers in German, French, Spanish, Portuguese, Italian, Dutch and
Japanese read like their English twin (sheet names, headers, status and scale words).

Each case builds one tracker in the language and the same tracker in English, and the
reader must make the same records of both. The packs are data (addin/core/lang/); a test
keeps every key they use pointing at a real kind, field and choice list.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, NamedTuple

import pytest

from addin.core.kinds import KINDS, kind
from addin.core.settings import Settings
from addin.read import read_tracker
from tests.sheetbook import book

D = dt.date


class Lang(NamedTuple):
    tasks: str
    task_headers: list[str]
    task_status: list[str]  # Complete, In Progress, Not Started
    raid: str
    raid_headers: list[str]
    scale: list[str]  # high, low
    raid_status: list[str]  # Open, Closed


ENGLISH = Lang(
    "Tasks",
    ["ID", "Task", "Owner", "Start", "End", "% Complete", "Status"],
    ["Complete", "In Progress", "Not Started"],
    "Risks",
    ["ID", "Risk", "Owner", "Likelihood", "Impact", "Status", "Mitigation"],
    ["High", "Low"],
    ["Open", "Closed"],
)

LANGS: dict[str, Lang] = {
    "de": Lang(
        "Aufgaben",
        ["Nr", "Aufgabe", "Verantwortlich", "Beginn", "Ende", "Fortschritt", "Status"],
        ["Erledigt", "In Arbeit", "Nicht begonnen"],
        "Risiken",
        [
            "Nr",
            "Risiko",
            "Verantwortlich",
            "Eintrittswahrscheinlichkeit",
            "Auswirkung",
            "Status",
            "Maßnahmen",
        ],
        ["hoch", "gering"],
        ["Offen", "Geschlossen"],
    ),
    "fr": Lang(
        "Tâches",
        ["N°", "Tâche", "Responsable", "Début", "Fin", "Avancement", "Statut"],
        ["Terminé", "En cours", "Non commencé"],
        "Risques",
        ["N°", "Risque", "Responsable", "Probabilité", "Impact", "Statut", "Actions"],
        ["élevé", "faible"],
        ["Ouvert", "Fermé"],
    ),
    "es": Lang(
        "Tareas",
        ["N°", "Tarea", "Responsable", "Inicio", "Fin", "Avance", "Estado"],
        ["Completado", "En curso", "No iniciado"],
        "Riesgos",
        ["ID", "Riesgo", "Responsable", "Probabilidad", "Impacto", "Estado", "Mitigación"],
        ["Alto", "Bajo"],
        ["Abierto", "Cerrado"],
    ),
    "pt": Lang(
        "Tarefas",
        ["Nº", "Tarefa", "Responsável", "Início", "Término", "Progresso", "Situação"],
        ["Concluído", "Em andamento", "Não iniciado"],
        "Riscos",
        ["ID", "Risco", "Responsável", "Probabilidade", "Impacto", "Status", "Mitigação"],
        ["Alto", "Baixo"],
        ["Aberto", "Fechado"],
    ),
    "it": Lang(
        "Attività",
        ["N.", "Attività", "Responsabile", "Inizio", "Fine", "Avanzamento", "Stato"],
        ["Completato", "In corso", "Non iniziato"],
        "Rischi",
        ["ID", "Rischio", "Responsabile", "Probabilità", "Impatto", "Stato", "Azioni"],
        ["Alto", "Basso"],
        ["Aperto", "Chiuso"],
    ),
    "nl": Lang(
        "Taken",
        ["Nr", "Taak", "Eigenaar", "Startdatum", "Einddatum", "Voortgang", "Status"],
        ["Afgerond", "Bezig", "Niet gestart"],
        "Risico's",
        ["Nr", "Risico", "Eigenaar", "Kans", "Impact", "Status", "Maatregelen"],
        ["hoog", "laag"],
        ["Open", "Gesloten"],
    ),
    "ja": Lang(
        "タスク一覧",
        ["No", "タスク名", "担当者", "開始日", "終了日", "進捗率", "ステータス"],
        ["完了", "進行中", "未着手"],
        "リスク管理表",
        ["No", "リスク", "担当者", "発生確率", "影響度", "ステータス", "対策"],
        ["高", "低"],
        ["未対応", "完了"],
    ),
}


def _tracker(path: Path, lang: Lang) -> Path:
    done, doing, todo = lang.task_status
    high, low = lang.scale
    open_, closed = lang.raid_status
    tasks = [
        lang.task_headers,
        ["1", "Kick-off", "Ann", D(2026, 1, 5), D(2026, 1, 9), 1.0, done],
        ["2", "Build", "Bob", D(2026, 1, 12), D(2026, 3, 6), 0.5, doing],
        ["3", "Go-live", "Cy", D(2026, 3, 9), D(2026, 3, 13), 0.0, todo],
    ]
    raid = [
        lang.raid_headers,
        ["R1", "Supplier late", "Ann", high, low, open_, "Second source"],
        ["R2", "Scope creep", "Bob", low, high, closed, "Change board"],
    ]
    return book(path, {lang.tasks: tasks, lang.raid: raid})


def _records(path: Path, settings: Settings | None = None) -> dict[str, Any]:
    result = read_tracker(path, settings or Settings())
    return {
        key: [
            {f: v for f, v in row.data().items() if f != "workstream"}
            for row in result.tracker.rows(key)
        ]
        for key in ("Tasks", "RAID")
    }


@pytest.mark.parametrize("code", sorted(LANGS))
def test_a_tracker_in_each_language_reads_like_its_english_twin(tmp_path: Path, code: str) -> None:
    english = _records(_tracker(tmp_path / "en.xlsx", ENGLISH))
    assert [t["status"] for t in english["Tasks"]] == ["Complete", "In Progress", "Not Started"]
    assert [(r["probability"], r["impact"], r["status"]) for r in english["RAID"]] == [
        (4, 2, "Open"),
        (2, 4, "Closed"),
    ]
    assert _records(_tracker(tmp_path / f"{code}.xlsx", LANGS[code])) == english


def test_the_packs_can_be_switched_off_in_settings(tmp_path: Path) -> None:
    path = _tracker(tmp_path / "de.xlsx", LANGS["de"])
    english_only = Settings().with_changes({"reader.languages": ["en"]})
    result = read_tracker(path, english_only)
    assert result.status == "not_a_tracker"
    assert read_tracker(path, Settings()).tables["Tasks"].rows == 3


def test_an_unknown_language_is_a_settings_error() -> None:
    from addin.core.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown language 'xx'"):
        Settings().with_changes({"reader.languages": ["en", "xx"]})


@pytest.mark.parametrize("code", [*sorted(LANGS), "en", "ru"])
def test_every_word_of_a_pack_points_at_a_real_field_and_value(code: str) -> None:
    from addin.core.lang import PACKS

    assert set(PACKS) == {*LANGS, "en", "ru"}
    pack = PACKS[code]
    keys = {k.key for k in KINDS}
    allowed = Settings().allowed
    for where in (pack.headers, pack.weak, pack.tails):
        for key, fields in where.items():
            assert key in keys, (code, key)
            names = {f.name for f in kind(key).fields}
            assert set(fields) <= names, (code, key, set(fields) - names)
    assert set(pack.sheets) <= keys
    for choice, words in pack.values.items():
        assert set(words.values()) <= set(allowed.of(choice)), (code, choice)
    assert all(1 <= n <= 5 for n in pack.scale.values())
    assert set(pack.raid_types.values()) <= set(allowed.raid_type)
