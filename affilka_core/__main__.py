"""`python -m affilka_core`: see `affilka_core.cli`."""

import sys

from affilka_core.cli import main

if __name__ == "__main__":
    for stream in (sys.stdout, sys.stderr):
        stream.reconfigure(errors="replace")  # type: ignore[attr-defined]
    sys.exit(main())
