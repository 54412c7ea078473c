"""Comparisons and logic: eq, lt, isclose, isnan, logical_and, bitwise_and, ... (bool or integer
results, no gradient). The Tensor methods hold the code; these are their function forms.

>>> thw.eq(thw.tensor([1, 2]), 2).tolist()
[False, True]
"""

from __future__ import annotations

from .arithmetic import function_form

# Public functions of this family: the top-level `thw.<name>` namespace re-exports them.
__all__ = ["eq", "ne", "lt", "le", "gt", "ge", "greater", "greater_equal", "less", "less_equal", "not_equal", "isclose",
           "allclose", "equal", "isnan", "isinf", "isfinite", "isposinf", "isneginf", "logical_not",
           "logical_and", "logical_or", "logical_xor", "bitwise_not", "bitwise_and", "bitwise_or",
           "bitwise_xor", "bitwise_left_shift", "bitwise_right_shift"]

eq = function_form("eq")
ne = function_form("ne")
lt = function_form("lt")
le = function_form("le")
gt = function_form("gt")
ge = function_form("ge")
greater = function_form("greater")
greater_equal = function_form("greater_equal")
less = function_form("less")
less_equal = function_form("less_equal")
not_equal = function_form("not_equal")
isclose = function_form("isclose")
allclose = function_form("allclose")
equal = function_form("equal")
isnan = function_form("isnan")
isinf = function_form("isinf")
isfinite = function_form("isfinite")
isposinf = function_form("isposinf")
isneginf = function_form("isneginf")
logical_not = function_form("logical_not")
logical_and = function_form("logical_and")
logical_or = function_form("logical_or")
logical_xor = function_form("logical_xor")
bitwise_not = function_form("bitwise_not")
bitwise_and = function_form("bitwise_and")
bitwise_or = function_form("bitwise_or")
bitwise_xor = function_form("bitwise_xor")
bitwise_left_shift = function_form("bitwise_left_shift")
bitwise_right_shift = function_form("bitwise_right_shift")
