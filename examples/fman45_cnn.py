"""The Lund FMAN45 assignment 3 convolutional networks, with tinygrad_hw.

MNIST: the starter CNN (14,682 parameters) with the assignment's momentum rule, its curves,
filters, mistakes and confusion matrix; CIFAR-10: the starter and an improved 5-conv batch-norm
network. The code is in tinygrad_hw/reproduce/fman45.py; this is `tinygrad-hw reproduce fman45`.

Run:  python examples/fman45_cnn.py --dataset mnist --data-dir ../shared/data [--quick]
      python examples/fman45_cnn.py --dataset cifar10 --data-dir ../shared/data
"""

import sys

from tinygrad_hw.cli import main

if __name__ == "__main__":
    sys.exit(main(["reproduce", "fman45", *sys.argv[1:]]))
