"""`python -m tinygrad_hw.reproduce ...` is `tinygrad-hw reproduce ...`."""

import sys

from ..cli import main

sys.exit(main(["reproduce", *sys.argv[1:]]))
