"""What the task families share, whatever the benchmark: robustness variants, the survey and
instrument kinds' documents, scoring and summaries, loud backend checks, generated-file syncing."""
