"""The main job: build the sources, evaluate the bundled model with lm-eval, write the report."""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from opinionbench.atomic import atomic_folder
from opinionbench.dataset_cache import build_available, built_dataset_dir
from opinionbench.errors import OpinionBenchError
from opinionbench.models import prepare_model
from opinionbench.tasks import tasks_path

MARKER = ".opinionbench-demo"
# WorldView-Bench's answers are free generations of up to 256 tokens: the demo asks the first
# questions of each domain only (14 of 175), unless --limit sets the size of every task.
WORLDVIEW_QUESTIONS_PER_DOMAIN = 2
WORLDVIEW_TASKS = ("worldview_bench_gen", "worldview_bench_multiplex_gen")


def run_demo(out: Path, *, limit: int | None, batch_size: int) -> Path:
    """Build every available source (into the cache the tasks read), evaluate the bundled
    SmolLM2 model (chat template) on their default tasks into ``out/lm_eval``, and write the
    report into ``out/report``."""
    with atomic_folder(out, ours=lambda folder: (folder / MARKER).is_file()) as staging:
        (staging / MARKER).write_text("written by `opinionbench demo`\n")
        built = build_available(lambda source: print(f"{source}: dataset at {built_dataset_dir(source)}"))
        model = prepare_model("smollm2")
        command = [_lm_eval_executable(), "run", "--model", "hf"]
        command += ["--model_args", f"pretrained={model},dtype=float32"]
        command += ["--tasks", ",".join(built)]  # each source's default task group bears its name
        command += ["--include_path", tasks_path(), "--apply_chat_template", "--batch_size", str(batch_size)]
        command += ["--output_path", str(staging / "lm_eval"), "--log_samples"]
        command += ["--limit", str(limit)] if limit else []
        if not limit and "worldview_bench" in built:
            command += ["--samples", json.dumps(dict.fromkeys(WORLDVIEW_TASKS, _worldview_subset()))]
        # Shown with the final folder: the staging folder is renamed to it at the end.
        print(f"\n$ {shlex.join(command).replace(str(staging), str(out))}\n", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            raise OpinionBenchError("the lm-eval run failed (its messages are above).")
        from opinionbench.leaderboard.report_command import report

        report(staging / "lm_eval", staging / "report")
    print(f"\ndemo written to {out}: lm_eval/ (results and samples) and report/README.md")
    return out


def _worldview_subset() -> list[int]:
    """The indices of the first :data:`WORLDVIEW_QUESTIONS_PER_DOMAIN` questions of each domain."""
    from opinionbench.dataset_cache import load_built_dataset

    taken: dict[str, int] = {}
    indices = []
    for index, domain in enumerate(load_built_dataset("worldview_bench")["domain_slug"]):
        if taken.get(domain, 0) < WORLDVIEW_QUESTIONS_PER_DOMAIN:
            taken[domain] = taken.get(domain, 0) + 1
            indices.append(index)
    return indices


def _lm_eval_executable() -> str:
    """lm-eval's console script beside this Python. (Not ``python -m lm_eval``: that puts the
    working directory first on the import path, and in a source checkout its ``opinionbench/``
    folder would hide the installed package.)"""
    script = shutil.which("lm_eval", path=str(Path(sys.executable).parent))
    if script is None:
        raise OpinionBenchError(f"lm-eval's `lm_eval` command is not installed beside {sys.executable}.")
    return script
