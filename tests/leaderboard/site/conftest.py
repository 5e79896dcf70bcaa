"""Fixtures of the site's tests: one real partial run of the bundled model (three families'
log-likelihood tasks, ``--limit``), made once per session, and the environment the site's
rescoring reads it in (the session's source files and cache)."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # leaderboard_site_helpers

REAL_TASKS = ("pct_logprob", "wahl_o_mat_logprob", "mena_values_logprob")
REAL_LIMIT = 5


@pytest.fixture(scope="session")
def real_run(lm_eval_run, tmp_path_factory) -> Path:
    """The results file of a partial run (``--limit``) of :data:`REAL_TASKS` with samples logged."""
    return lm_eval_run(
        tmp_path_factory.mktemp("site_real_run") / "out",
        REAL_TASKS,
        "--limit",
        str(REAL_LIMIT),
        "--apply_chat_template",
    )


@pytest.fixture(scope="session")
def rescoring_env(eval_env):
    """``with rescoring_env():`` the site's rescoring reads the session's sources and cache."""

    @contextmanager
    def env():
        with pytest.MonkeyPatch.context() as patch:
            for name in ("OPINIONBENCH_CACHE", "OPINIONBENCH_SOURCES", "HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"):
                patch.setenv(name, eval_env[name])
            yield

    return env
