"""`python -m affilka_core`: see `affilka_core.cli`."""

import sys

from affilka_core.cli import main

if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):
        # typeshed declares sys.stdout/stderr as TextIO; at start-up they are io.TextIOWrapper
        stream.reconfigure(errors="replace")  # type: ignore[union-attr]
    sys.exit(main())
