"""The ``[engine]`` settings: where the per-file work of a consolidation runs.

Where the work runs never changes what it produces, so these settings are left out of
the fingerprint the result cache keys on (:attr:`addin.core.settings.Settings.results_fingerprint`).
"""

from __future__ import annotations

import re

from addin.core.settings.fields import Field
from addin.core.settings.section import Section, field_validator

#: The schemes a Dask scheduler address may have.
_CLUSTER = re.compile(r"^(tcp|tls|ws|wss|inproc|ucx)://\S+$")
LOCAL = "local"


class EngineSettings(Section):
    """Where consolidation reads its trackers: this machine's processes, or a Dask cluster."""

    executor: str = LOCAL
    """``local`` (a process pool on this machine) or a Dask scheduler's address such as
    ``tcp://scheduler:8786`` (docs/scale-out.md); ``--executor`` on the command line wins."""
    batch_size: int = Field(default=0, ge=0, le=100_000)
    """Files per task on a Dask cluster; 0 picks 100 to 1,000 so every worker thread gets
    several batches."""
    connect_timeout_seconds: float = Field(default=10, gt=0, le=3600)
    """How long to wait for the Dask scheduler and its first worker before giving up; also
    how long a run waits, once started, for a worker when the cluster has none left."""

    @field_validator("executor")
    @classmethod
    def _known_executor(cls, value: str) -> str:
        value = value.strip()
        if value != LOCAL and not _CLUSTER.match(value):
            raise ValueError(
                f"executor must be 'local' or a Dask scheduler address such as "
                f"tcp://scheduler:8786, got {value!r}"
            )
        return value

    @property
    def local(self) -> bool:
        """True when the work runs in this machine's process pool."""
        return self.executor == LOCAL
