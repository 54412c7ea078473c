"""`thw.autograd`: custom ops, functional gradients, gradient checks and grad modes in one namespace.

>>> class Cube(thw.autograd.Function): ...
>>> thw.autograd.gradcheck(Cube.apply, (x,))
>>> thw.autograd.grad(loss, [w])
"""

from .backward import backward, grad
from .explain import explain
from .function import Function
from .grad_mode import (detect_anomaly, enable_grad, inference_mode, is_grad_enabled, is_inference_mode_enabled,
                        no_grad, set_detect_anomaly, set_grad_enabled)
from .gradcheck import GradcheckError, gradcheck
from .graph_check import GraphCheckReport, check_graph, check_node
from ..legacy import Variable  # noqa: E402  (PyTorch < 0.4 spelling)

__all__ = ["Function", "GradcheckError", "GraphCheckReport", "backward", "check_graph", "check_node",
           "detect_anomaly", "enable_grad", "explain", "grad", "gradcheck", "inference_mode", "is_grad_enabled",
           "is_inference_mode_enabled", "no_grad", "set_detect_anomaly", "set_grad_enabled", "Variable"]
