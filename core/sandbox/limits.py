"""Resource limits of Numerai's runner and the size of its live input."""

from __future__ import annotations

from dataclasses import asdict, dataclass

GIB = 1024**3

# Numerai's default resources per Model Upload: 1 CPU, 4 GB of RAM and 10
# minutes of run time, with no internet access (docs.numer.ai, Model Uploads).
RUNNER_CPUS = 1
RUNNER_MEMORY_BYTES = 4 * GIB
RUNNER_TIMEOUT_S = 600.0

# Rows in one round's live.parquet (one era, "X"); v5 rounds have about 5-6k.
RUNNER_LIVE_ROWS = 6000

# Thread-count variables that numeric libraries read at import time.
THREAD_ENV_VARS = (
    "OMP_NUM_THREADS",
    "OPENBLAS_NUM_THREADS",
    "MKL_NUM_THREADS",
    "VECLIB_MAXIMUM_THREADS",
    "NUMEXPR_NUM_THREADS",
    "NUMEXPR_MAX_THREADS",
    "BLIS_NUM_THREADS",
    "POLARS_MAX_THREADS",
    "RAYON_NUM_THREADS",
)


@dataclass(frozen=True)
class Limits:
    """Resources the child process may use, like the runner's container."""

    cpus: int = RUNNER_CPUS
    memory_bytes: int = RUNNER_MEMORY_BYTES
    timeout_s: float = RUNNER_TIMEOUT_S
    sample_interval_s: float = 0.05

    def __post_init__(self) -> None:
        if self.cpus < 1:
            raise ValueError(f"cpus must be at least 1, got {self.cpus}")
        if self.memory_bytes <= 0:
            raise ValueError(f"memory_bytes must be positive, got {self.memory_bytes}")
        if self.timeout_s <= 0:
            raise ValueError(f"timeout_s must be positive, got {self.timeout_s}")

    def to_dict(self) -> dict:
        return asdict(self)
