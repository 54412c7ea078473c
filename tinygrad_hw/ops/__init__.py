"""The built-in ops, one file per family; each op a `Function` with forward and backward side by side.

Every backward returns gradients in the output's (broadcast) shape; the engine sums them back
to each input's shape. Gradients are computed in the inputs' dtype. Each family lists its
public functions in `__all__`; they make up the top-level namespace (`thw.cat`, `thw.where`, ...).
"""

from . import arithmetic, comparison, elementwise, indexing, linalg, reductions, scans, shape, sorting
from .arithmetic import *  # noqa: F403
from .arithmetic import (Add, Cast, Div, Einsum, FloorDivide, Fmod, MatMul, Mul, Neg, Pow, Remainder, Sub,
                         function_form, write_out)
from .comparison import *  # noqa: F403
from .elementwise import *  # noqa: F403
from .elementwise import (Abs, Acos, Acosh, Asin, Asinh, Atan, Atanh, Atan2, Ceil, Clamp, Copysign, Cos, Cosh, Erf,
                          Exp, Exp2, Expm1, Floor, Frac, Hypot, LeakyReLU, Lerp, Log, Log1p, Log2, Log10, Logit,
                          Maximum, Minimum, NanToNum, Reciprocal, ReLU, Round, Rsqrt, Sigmoid, Sign, Sin, Sinh, Sqrt,
                          Tan, Tanh, Trunc, Where, Xlogy)
from .indexing import *  # noqa: F403
from .indexing import CopySlices, Gather, Index, IndexAdd, IndexPut, Overwrite, Scatter, ScatterReduce, index, index_put
from .reductions import *  # noqa: F403
from .reductions import (Amax, Amin, LinalgVectorNorm, LogSoftmax, LogSumExp, Max, MaxAlongDim, Mean, Min,
                         MinAlongDim, Prod, Softmax, Sum, shifted_exp)
from .scans import *  # noqa: F403
from .scans import Cummax, Cummin, Cumprod, Cumsum, Logcumsumexp
from .shape import *  # noqa: F403
from .shape import Cat, Clone, DiagEmbed, Diagonal, Expand, Flip, Permute, Reshape, Roll, Tile, Triangle
from .sorting import *  # noqa: F403
from .sorting import Kthvalue, Median, Mode, Nanmedian, Sort, Topk

from .linalg import SingularValues

# `thw.linalg` is the module ops/linalg.py (thw.linalg.norm, vector_norm, matrix_norm, svdvals).
__all__ = (arithmetic.__all__ + comparison.__all__ + elementwise.__all__ + indexing.__all__ + reductions.__all__
           + scans.__all__ + shape.__all__ + sorting.__all__ + ["linalg"])
