"""The main job: build the sources, evaluate the bundled model with lm-eval, write the report."""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

from opinionbench import families
from opinionbench.atomic import atomic_folder
from opinionbench.dataset_cache import build_available, built_dataset_dir
from opinionbench.errors import OpinionBenchError
from opinionbench.models import prepare_model

MARKER = ".opinionbench-demo"


def run_demo(out: Path, *, limit: int | None, batch_size: int) -> Path:
    """Build every available source (into the cache the tasks read), evaluate the bundled
    SmolLM2 model (chat template) on their default tasks with ``opinionbench eval`` into
    ``out/lm_eval``, and write the report into ``out/report``."""
    with atomic_folder(out, ours=lambda folder: (folder / MARKER).is_file()) as staging:
        (staging / MARKER).write_text("written by `opinionbench demo`\n")
        built = build_available(lambda source: print(f"{source}: dataset at {built_dataset_dir(source)}"))
        model = prepare_model("smollm2")
        command = [sys.executable, "-m", "opinionbench", "eval", "run", "--model", "hf"]
        command += ["--model_args", f"pretrained={model},dtype=float32"]
        command += ["--tasks", ",".join(families.get(name).default_task for name in built)]
        command += ["--apply_chat_template", "--batch_size", str(batch_size)]
        command += ["--output_path", str(staging / "lm_eval"), "--log_samples"]
        command += ["--limit", str(limit)] if limit else []
        samples = {} if limit else _demo_samples(built)
        command += ["--samples", json.dumps(samples)] if samples else []
        # Shown with the final folder: the staging folder is renamed to it at the end.
        print(f"\n$ {shlex.join(command).replace(str(staging), str(out))}\n", flush=True)
        if subprocess.run(command, check=False).returncode != 0:
            raise OpinionBenchError("the lm-eval run failed (its messages are above).")
        from opinionbench.leaderboard.report.command import report

        report(staging / "lm_eval", staging / "report")
    print(f"\ndemo written to {out}: lm_eval/ (results and samples) and report/README.md")
    return out


def _demo_samples(built: list[str]) -> dict[str, list[int]]:
    """The documents the demo asks of the tasks whose family asks for a subset (free generation is
    slow: WorldView-Bench's first two questions of each domain); every document of the others."""
    samples = {}
    for name in built:
        family = families.get(name)
        samples |= family.demo_samples() if family.demo_samples else {}
    return samples
