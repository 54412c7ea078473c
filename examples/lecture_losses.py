"""Cross-entropy vs the multiclass SVM loss, on the lecture's numbers.

Scores for cat/car/frog = [3.2, 5.1, -1.7] with the true class cat give a cross-entropy of
2.04 and an SVM (hinge) loss of 2.9. For scores [10, -2, 3], [10, 9, 9] and [10, -100, -100]
with class 0 the SVM loss is 0 every time, while the cross-entropy keeps asking for a larger
margin: 0.00092, 0.551 and about 1e-48. The code is in tinygrad_hw/reproduce/lectures.py.

Run:  python examples/lecture_losses.py
"""

from __future__ import annotations

import argparse

import numpy as np

from tinygrad_hw.reproduce.lectures import losses


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    ce, svm = losses([3.2, 5.1, -1.7], 0)
    print("scores cat/car/frog = [3.2, 5.1, -1.7], true class cat")
    print(f"  cross-entropy  {ce:.2f}    (softmax of cat = {np.exp(-ce):.3f})")
    print(f"  SVM loss       {svm:.2f}    (max(0, 5.1 - 3.2 + 1) + max(0, -1.7 - 3.2 + 1))\n")
    print(f"{'scores':<22} {'SVM loss':>9} {'cross-entropy':>14}")
    for scores in ([10, -2, 3], [10, 9, 9], [10, -100, -100]):
        ce, svm = losses(scores, 0)
        print(f"{str(scores):<22} {svm:>9.3g} {ce:>14.3g}")


if __name__ == "__main__":
    main()
