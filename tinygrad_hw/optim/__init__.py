"""`tinygrad_hw.optim`: optimizers and learning-rate schedules, as torch.optim.

>>> optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
>>> scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.1)
"""

from . import lr_scheduler
from .adadelta import Adadelta
from .adagrad import Adagrad
from .adam import Adam, AdamW
from .adamax import Adamax
from .nadam import NAdam
from .optimizer import Optimizer
from .radam import RAdam
from .rmsprop import RMSprop
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "RMSprop", "Adagrad", "Adadelta", "Adamax", "NAdam", "RAdam", "Optimizer",
           "lr_scheduler"]
