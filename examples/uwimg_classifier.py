"""The UW CSE 455/576 "uwimg" homework 5 classifier experiments, with tinygrad_hw.

Every experiment of `tryhw5.py` (softmax regression and its rate and decay sweeps, the 2-layer
net with each hidden activation, the 3-layer decay sweep; CIFAR-10's search), run through the
homework's own API in tinygrad_hw/homework/uwimg.py; the experiments are in
tinygrad_hw/reproduce/uwimg.py. This is `tinygrad-hw reproduce uwimg` with the same options.

Run:  python examples/uwimg_classifier.py [--quick]                 (offline: the 8x8 Digits)
      python examples/uwimg_classifier.py --dataset mnist --data-dir ../shared/data
      python examples/uwimg_classifier.py --dataset cifar10 --data-dir ../shared/data
"""

import sys

from tinygrad_hw.cli import main

if __name__ == "__main__":
    sys.exit(main(["reproduce", "uwimg", *sys.argv[1:]]))
