"""Russian (a small pack: the corpus holds a Russian plan)."""

from __future__ import annotations

from addin.core.lang.pack import LanguagePack

PACK = LanguagePack(
    code="ru",
    name="Russian",
    sheets={
        "Tasks": ("Задачи", "План", "План проекта", "График"),
        "Milestones": ("Вехи",),
        "Budget": ("Бюджет",),
        "RAID": ("Риски", "Проблемы"),
    },
    headers={
        "Project": {
            "project_id": ("Код проекта", "Номер проекта"),
            "project_name": ("Название проекта", "Наименование проекта", "Проект"),
            "project_manager": ("Руководитель проекта", "Менеджер проекта"),
            "sponsor": ("Спонсор", "Заказчик"),
            "status_date": ("Дата отчета", "Отчетная дата"),
            "start_date": ("Дата начала",),
            "budget": ("Бюджет",),
        },
        "Tasks": {
            "task_id": ("№", "Номер"),
            "task_name": ("Задача", "Задачи", "Название задачи", "Работа", "Наименование работ"),
            "owner": ("Ответственный", "Исполнитель"),
            "planned_start": ("Начало", "Дата начала"),
            "planned_finish": ("Окончание", "Дата окончания", "Срок", "Конец"),
            "pct_complete": ("% выполнения", "Прогресс", "Выполнено"),
            "status": ("Статус", "Состояние"),
            "notes": ("Примечание", "Комментарий"),
        },
        "Milestones": {"milestone": ("Веха", "Контрольная точка"), "baseline_date": ("Дата",)},
        "RAID": {
            "title": ("Риск", "Риски", "Проблема"),
            "owner": ("Ответственный", "Владелец"),
            "probability": ("Вероятность",),
            "impact": ("Влияние", "Последствия"),
            "mitigation": ("Меры", "Мероприятия"),
            "status": ("Статус",),
        },
    },
    values={
        "task_status": {
            "Не начата": "Not Started",
            "В работе": "In Progress",
            "Выполнена": "Complete",
        },
        "raid_status": {"Открыт": "Open", "Закрыт": "Closed"},
        "severity": {"Низкий": "Low", "Средний": "Medium", "Высокий": "High"},
        "rag": {"Красный": "Red", "Желтый": "Amber", "Зеленый": "Green"},
    },
    scale={"низкая": 2, "низкий": 2, "средняя": 3, "средний": 3, "высокая": 4, "высокий": 4},
    raid_types={"риск": "Risk", "риски": "Risk", "проблемы": "Issue"},
    closed=("закрытые",),
    kind_words={"Tasks": ("задача", "работа"), "RAID": ("риск", "риски")},
    title_words=("план", "проекта", "проект", "график"),
    examples=("шаблон", "пример"),
)
