"""OpinionBench: whose opinions, values and political positions a language model reflects.

The installed package gathers the project's root folders under one namespace:
``opinionbench.data_builders`` (raw survey sources -> Hugging Face datasets),
``opinionbench.metrics`` (opinion-similarity metrics), ``opinionbench.tasks``
(lm-evaluation-harness task definitions) and ``opinionbench.leaderboard``.
"""

from importlib.metadata import PackageNotFoundError, version

from opinionbench.errors import OpinionBenchError

try:
    __version__ = version("opinionbench")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"

__all__ = ["OpinionBenchError", "__version__"]
