"""lm-eval hooks of the SapplyValues tasks: those every instrument task shares and the persona tasks' (the family's
scoring key is its declaration, family.py)."""

from opinionbench.tasks.common.instrument_scoring import *  # the functions the YAML files name
from opinionbench.tasks.common.persona_scoring import *  # the persona tasks' functions
