"""lm-evaluation-harness task definitions (YAML + a small utils module per family)."""
