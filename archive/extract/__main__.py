"""`python -m archive.extract`: the limited child process (see `archive.extract.sandbox`)."""

import sys

from archive.extract.sandbox import child_main

sys.exit(child_main(sys.argv[1:]))
