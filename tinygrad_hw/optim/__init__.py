"""`tinygrad_hw.optim`: optimizers and learning-rate schedules, as torch.optim.

>>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
"""

from . import lr_scheduler
from .adam import Adam, AdamW
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "Optimizer", "lr_scheduler"]
