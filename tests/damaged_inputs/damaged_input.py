"""What a damaged-input case is: the files it writes, the command that reads them, what must happen.

A case writes its damaged files under an input folder (``make(folder)``) and names the
``opinionbench`` command that reads them, with ``{input}`` standing for that folder and ``{out}``
for the output folder. The run must end in one of two ways:

- ``status=2``: one line on stderr ``opinionbench: error: ...`` matching ``message`` (a regular
  expression, searched), no traceback, and no output folder (or an empty one): nothing half-written;
- ``status=0`` with ``rejected=True``: the damaged file is one of several inputs; the output is built
  from the others and ``message`` matches the rejection listed on stdout or stderr.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class DamagedInput:
    name: str  # the test id: "<family or command>-<what is damaged>"
    command: tuple[str, ...]  # opinionbench arguments, with "{input}" and "{out}" placeholders
    make: Callable[[Path], None]  # writes the damaged input files under the given folder
    message: str  # regular expression the error line (or the listed rejection) must contain
    status: int = 2
    rejected: bool = False

    def arguments(self, input_folder: Path, out: Path) -> list[str]:
        return [part.replace("{input}", str(input_folder)).replace("{out}", str(out)) for part in self.command]
