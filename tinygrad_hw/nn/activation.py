"""Activation layers: thin modules over `nn.functional`."""

from __future__ import annotations

from typing import Any

import numpy as np

from ..tensor import Tensor, get_default_dtype
from . import functional as F
from .module import Module, Parameter


class ReLU(Module):
    """>>> nn.ReLU()(thw.tensor([-1.0, 2.0]))
    Tensor([0., 2.])"""

    def __init__(self, inplace: bool = False):
        super().__init__()
        self.inplace = inplace

    def forward(self, x: Tensor) -> Tensor:
        return x.relu()

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class LeakyReLU(Module):
    """>>> nn.LeakyReLU(0.1)(thw.tensor([-1.0, 2.0]))
    Tensor([-0.1,  2. ])"""

    def __init__(self, negative_slope: float = 0.01, inplace: bool = False):
        super().__init__()
        self.negative_slope, self.inplace = negative_slope, inplace

    def forward(self, x: Tensor) -> Tensor:
        return x.leaky_relu(self.negative_slope)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}"


class Sigmoid(Module):
    """>>> nn.Sigmoid()(thw.zeros(1))
    Tensor([0.5])"""

    def forward(self, x: Tensor) -> Tensor:
        return x.sigmoid()


class Tanh(Module):
    """>>> nn.Tanh()(thw.zeros(1))
    Tensor([0.])"""

    def forward(self, x: Tensor) -> Tensor:
        return x.tanh()


class Softmax(Module):
    """>>> nn.Softmax(dim=1)(thw.zeros(1, 2))
    Tensor([[0.5, 0.5]])"""

    def __init__(self, dim: int | None = None):
        super().__init__()
        self.dim = dim

    def forward(self, x: Tensor) -> Tensor:
        return x.softmax(self.dim if self.dim is not None else -1)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """>>> nn.LogSoftmax(dim=1)(logits)"""

    def forward(self, x: Tensor) -> Tensor:
        return x.log_softmax(self.dim if self.dim is not None else -1)


class ELU(Module):
    """>>> nn.ELU()(thw.tensor([-1.0, 1.0]))"""

    def __init__(self, alpha: float = 1.0, inplace: bool = False):
        super().__init__()
        self.alpha, self.inplace = alpha, inplace

    def forward(self, x: Tensor) -> Tensor:
        return F.elu(x, self.alpha)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}"


class Softplus(Module):
    """>>> nn.Softplus()(thw.zeros(1))   # log 2"""

    def __init__(self, beta: float = 1.0, threshold: float = 20.0):
        super().__init__()
        self.beta, self.threshold = beta, threshold

    def forward(self, x: Tensor) -> Tensor:
        return F.softplus(x, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class _Elementwise(Module):
    """An activation with fixed options: `function(x, **options)`; repr lists the options."""

    function: Any = None
    defaults: dict = {}
    bare_repr = False  # PyTorch shows some options without their names: Hardshrink(0.5)

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__()
        names = list(self.defaults)
        if len(args) > len(names):
            raise TypeError(f"{type(self).__name__} takes at most {len(names)} arguments")
        options = dict(self.defaults)
        options.update(zip(names, args))
        for name, value in kwargs.items():
            if name not in options:
                raise TypeError(f"{type(self).__name__}.__init__() got an unexpected keyword argument {name!r}")
            options[name] = value
        for name, value in options.items():
            object.__setattr__(self, name, value)

    def forward(self, input: Tensor) -> Tensor:
        return type(self).function(input, **{name: getattr(self, name) for name in self.defaults})

    def extra_repr(self) -> str:
        if self.bare_repr:
            return ", ".join(str(getattr(self, name)) for name in self.defaults)
        shown = [name for name in self.defaults if name != "inplace" or getattr(self, name)]
        if shown == ["inplace"]:
            return "inplace=True"
        return ", ".join(f"{name}={getattr(self, name)!r}" for name in shown)


def _activation(name: str, function: Any, doc: str, **defaults: Any) -> type:
    return type(name, (_Elementwise,), {"function": staticmethod(function), "defaults": defaults,
                                        "__doc__": doc, "__module__": __name__})


GELU = _activation("GELU", F.gelu, "x·Φ(x).  >>> nn.GELU(approximate='tanh')(x)", approximate="none")
SiLU = _activation("SiLU", F.silu, "x·sigmoid(x).  >>> nn.SiLU()(x)", inplace=False)
Mish = _activation("Mish", F.mish, "x·tanh(softplus(x)).  >>> nn.Mish()(x)", inplace=False)
Hardtanh = _activation("Hardtanh", F.hardtanh, "clamp(x, min_val, max_val).  >>> nn.Hardtanh(-2, 2)(x)",
                       min_val=-1.0, max_val=1.0, inplace=False)
ReLU6 = _activation("ReLU6", F.relu6, "min(max(x, 0), 6).  >>> nn.ReLU6()(x)", inplace=False)
SELU = _activation("SELU", F.selu, "scale·elu(x, alpha).  >>> nn.SELU()(x)", inplace=False)
CELU = _activation("CELU", F.celu, "max(0,x) + min(0, α(e^(x/α) - 1)).  >>> nn.CELU(2.0)(x)",
                   alpha=1.0, inplace=False)
Softsign = _activation("Softsign", F.softsign, "x / (1 + |x|).  >>> nn.Softsign()(x)")
Tanhshrink = _activation("Tanhshrink", F.tanhshrink, "x - tanh(x).  >>> nn.Tanhshrink()(x)")
LogSigmoid = _activation("LogSigmoid", F.logsigmoid, "log sigmoid(x).  >>> nn.LogSigmoid()(x)")
Hardswish = _activation("Hardswish", F.hardswish, "x·relu6(x+3)/6.  >>> nn.Hardswish()(x)", inplace=False)
Hardsigmoid = _activation("Hardsigmoid", F.hardsigmoid, "relu6(x+3)/6.  >>> nn.Hardsigmoid()(x)",
                          inplace=False)
Threshold = _activation("Threshold", F.threshold, "x if x > threshold else value.  >>> nn.Threshold(0.1, 20)(x)",
                        threshold=None, value=None, inplace=False)
Hardshrink = _activation("Hardshrink", F.hardshrink, "x if |x| > lambd else 0.  >>> nn.Hardshrink()(x)",
                         lambd=0.5)
Softshrink = _activation("Softshrink", F.softshrink, ">>> nn.Softshrink()(x)", lambd=0.5)
Hardshrink.bare_repr = Softshrink.bare_repr = True
GLU = _activation("GLU", F.glu, "a·sigmoid(b) for the halves of dim.  >>> nn.GLU()(x)", dim=-1)


class Softmin(Softmax):
    """softmax(-x).  >>> nn.Softmin(dim=1)(x)"""

    def forward(self, x: Tensor) -> Tensor:
        return F.softmin(x, self.dim)


class PReLU(Module):
    """x where x > 0, else a·x with a learned slope a (one, or one per channel).

    >>> nn.PReLU(num_parameters=3, init=0.1)(thw.randn(2, 3)).shape
    (2, 3)
    """

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device: Any = None, dtype: Any = None):
        super().__init__()
        self.num_parameters, self.init = num_parameters, init
        self.weight = Parameter(np.full(num_parameters, init, dtype or get_default_dtype()))

    def forward(self, input: Tensor) -> Tensor:
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"
