"""The team benchmark runs end to end at a small size and prints all of its figures.

Nothing here looks at the figures' values: timings belong to the benchmark, not to a test.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.fixtures import REPO_ROOT, run_python
from tests.helpers.postgres import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_small_run_prints_throughput_latency_and_start_up_ratios(
    postgres_cluster: Cluster,  # the benchmark starts its own; this says why it cannot
) -> None:
    done = run_python(
        [
            str(REPO_ROOT / "benchmarks" / "bench_team.py"),
            *("--clients", "2", "--seconds", "2", "--profiles", "300", "--customers", "20"),
            *("--runs", "1"),
        ],
        env={"QT_QPA_PLATFORM": "offscreen"},
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    for backend in ("SQLite", "PostgreSQL"):
        assert re.search(rf"{backend}\s+\d+\.\d ops/s\s+p95\s+\d+\.\d ms", out), out
        assert re.search(rf"^  {backend}\s+\d+\.\d\d\d s$", out, re.MULTILINE), out
    assert re.search(r"ratio PostgreSQL/SQLite: ops/s \d+\.\d\d, p95 \d+\.\d\d", out), out
    assert re.search(r"ratio\s+\d+\.\d\d\s+\(target <= 1\.3\)", out), out
