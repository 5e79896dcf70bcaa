"""``python -m opinionbench``: the ``opinionbench`` command."""

import sys

from opinionbench.cli import main

sys.exit(main())
