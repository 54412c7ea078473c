"""The built-in ops, one file per family; each op a `Function` with forward and backward side by side.

Every backward returns gradients in the output's (broadcast) shape; the engine sums them back
to each input's shape. Gradients are computed in the inputs' dtype.
"""

from .arithmetic import Add, Cast, Div, MatMul, Mul, Neg, Pow, Sub, matmul
from .elementwise import (Abs, Clamp, Exp, LeakyReLU, Log, Maximum, Minimum, ReLU, Sigmoid, Sqrt, Tanh, Where,
                          where)
from .indexing import Index, IndexPut, Overwrite, index, index_put
from .reductions import (LogSoftmax, LogSumExp, Max, MaxAlongDim, Mean, Min, MinAlongDim, Softmax, Sum,
                         shifted_exp)
from .shape import Cat, Expand, Permute, Reshape, cat, stack
