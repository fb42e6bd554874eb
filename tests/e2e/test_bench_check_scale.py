"""The check-at-scale benchmark runs end to end (``--quick``) and prints all of its figures.

Nothing here looks at the figures' values: timings belong to the benchmark, not to a test.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.fixtures import REPO_ROOT, run_python

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_quick_run_prints_requests_wall_time_and_stall_figures() -> None:
    done = run_python(
        [str(REPO_ROOT / "benchmarks" / "bench_check_scale.py"), "--quick"],
        env={"QT_QPA_PLATFORM": "offscreen"},
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "10 tenants × 5 publisher profiles + 2 custom (52 profiles)" in out
    assert "checked: 52 rows" in out
    # The sandbox counted the run's requests, token and Graph alike.
    counted = re.search(r"requests: (\d+) \((.*)\)", out)
    assert counted is not None and int(counted.group(1)) > 0
    assert "token" in counted.group(2) and "graph" in counted.group(2)
    for figure in ("requests per tenant:", "wall time:", "longest event-loop stall:"):
        line = next(line for line in out.splitlines() if line.startswith(figure))
        assert re.search(r"ratio \d+\.\d\d|\d+ ms", line), line
