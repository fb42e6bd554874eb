"""The offline-copy benchmark runs end to end at a small size and prints all of its figures.

Nothing here looks at the figures' values: timings belong to the benchmark, not to a test.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.fixtures import REPO_ROOT, run_python
from tests.helpers.postgres import Cluster

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_small_run_prints_each_path_and_its_ratio(
    postgres_cluster: Cluster,  # the benchmark starts its own; this says why it cannot
) -> None:
    done = run_python(
        [
            str(REPO_ROOT / "benchmarks" / "bench_offline_copy.py"),
            *("--profiles", "300", "--customers", "20", "--runs", "1"),
        ],
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    for label in (
        r"before \(whole copy, any command\)",
        "after a read command",
        "after one change",
    ):
        assert re.search(rf"{label}\s+\d+\.\d ms\s+before/this\s+\d+\.\d\d", done.stdout), (
            done.stdout
        )
