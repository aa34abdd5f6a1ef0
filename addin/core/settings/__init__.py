"""Settings: one typed, frozen model, loaded once and passed in explicitly.

Load order: the defaults (which equal shared/RAG_RULES.md and TRACKER_SPEC), then a
``pmo.toml``, then overrides a caller supplies (a workbook's own settings sheet). The
one place that decides which files those are is :func:`addin.app.settings.resolve_settings`.
"""

from addin.core.config_file import CONFIG_FILENAME
from addin.core.settings.engine import EngineSettings
from addin.core.settings.history import HistorySettings
from addin.core.settings.load import find_config, load_settings, settings_from_mapping
from addin.core.settings.models import (
    AllowedValues,
    CostThresholds,
    LimitSettings,
    RagSettings,
    RiskThresholds,
    ScheduleQualityThresholds,
    ScheduleThresholds,
    Settings,
    SeverityScores,
    TemplateSettings,
    ValueSynonyms,
)
from addin.core.settings.reader import ReaderSettings, ScaleSettings
from addin.core.settings.resources import ResourceSettings
from addin.core.settings.toml import to_toml

__all__ = [
    "CONFIG_FILENAME",
    "AllowedValues",
    "CostThresholds",
    "EngineSettings",
    "HistorySettings",
    "LimitSettings",
    "RagSettings",
    "ReaderSettings",
    "ResourceSettings",
    "RiskThresholds",
    "ScaleSettings",
    "ScheduleQualityThresholds",
    "ScheduleThresholds",
    "Settings",
    "SeverityScores",
    "TemplateSettings",
    "ValueSynonyms",
    "find_config",
    "load_settings",
    "settings_from_mapping",
    "to_toml",
]
