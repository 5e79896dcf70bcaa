"""lm-eval hooks of the toy axis instrument: those every instrument task shares."""

from opinionbench.tasks.common.instrument_scoring import *  # the functions the YAML files name
