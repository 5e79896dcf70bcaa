"""``python -m opinionbench.backends ARGS``: lm-eval's command line with OpinionBench's backends registered."""

import sys

from lm_eval.__main__ import cli_evaluate

import opinionbench.backends  # noqa: F401  (registers the backends)
from opinionbench.errors import OpinionBenchError

if __name__ == "__main__":
    sys.argv[0] = "lm_eval"
    try:
        cli_evaluate()
    except OpinionBenchError as err:
        sys.exit(f"opinionbench: error: {err}")
