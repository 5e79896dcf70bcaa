"""lm-eval model backends shipped by OpinionBench, registered with lm-eval's model registry on import.

- ``opinionbench-next-token-chat``: one ``/v1/chat/completions`` call per question, the option
  distribution read from the next token's top log-probabilities (OpinionQA's rule).
- ``opinionbench-next-token-completions``: the same through ``/v1/completions``.

``opinionbench eval`` imports them; with lm-eval's own command line run
``python -m opinionbench.backends`` in place of ``lm_eval`` (lm-eval 0.4 has no option that
imports a model module); from Python, ``import opinionbench.backends`` before
``lm_eval.simple_evaluate``.
"""

from opinionbench.backends.next_token import NextTokenChat, NextTokenCompletions

__all__ = ["NextTokenChat", "NextTokenCompletions"]
