"""The built-in ops, one file per family; each op a `Function` with forward and backward side by side.

Every backward returns gradients in the output's (broadcast) shape; the engine sums them back
to each input's shape. Gradients are computed in the inputs' dtype. Each family lists its
public functions in `__all__`; they make up the top-level namespace (`thw.cat`, `thw.where`, ...).
"""

from . import arithmetic, elementwise, indexing, reductions, shape
from .arithmetic import *  # noqa: F403
from .arithmetic import Add, Cast, Div, MatMul, Mul, Neg, Pow, Sub
from .elementwise import *  # noqa: F403
from .elementwise import Abs, Clamp, Exp, LeakyReLU, Log, Maximum, Minimum, ReLU, Sigmoid, Sqrt, Tanh, Where
from .indexing import *  # noqa: F403
from .indexing import Gather, Index, IndexAdd, IndexPut, Overwrite, Scatter, ScatterReduce, index, index_put
from .reductions import *  # noqa: F403
from .reductions import LogSoftmax, LogSumExp, Max, MaxAlongDim, Mean, Min, MinAlongDim, Softmax, Sum, shifted_exp
from .shape import *  # noqa: F403
from .shape import Cat, Clone, DiagEmbed, Diagonal, Expand, Flip, Permute, Reshape, Roll, Tile, Triangle

__all__ = arithmetic.__all__ + elementwise.__all__ + indexing.__all__ + reductions.__all__ + shape.__all__
