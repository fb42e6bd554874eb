"""The token-reuse benchmark runs end to end and prints both figures and their ratio.

Nothing here looks at the figures' values beyond their shape: they belong to the benchmark.
"""

from __future__ import annotations

import re

import pytest

from tests.helpers.fixtures import REPO_ROOT, run_python

pytestmark = [pytest.mark.e2e, pytest.mark.slow]


def test_a_small_run_prints_token_requests_per_profile_before_and_after() -> None:
    done = run_python(
        [str(REPO_ROOT / "benchmarks" / "bench_token_reuse.py"), "--tenants", "3"], timeout=300
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "3 custom-mode profiles" in out
    for label in ("before (asked anew)", "after (reused)"):
        line = next(line for line in out.splitlines() if line.startswith(label))
        assert re.search(r"\d+\.\d\d token requests per profile \(3 Valid\)", line), line
    assert re.search(r"ratio after/before: \d+\.\d\d", out), out
