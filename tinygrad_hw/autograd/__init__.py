"""`thw.autograd`: custom ops, gradient checks and the anomaly detector in one namespace.

>>> class Cube(thw.autograd.Function): ...
>>> thw.autograd.gradcheck(Cube.apply, (x,))
"""

from .function import Function
from .graph_check import GraphCheckReport, check_graph, check_node
from .grad_mode import detect_anomaly, enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .gradcheck import GradcheckError, gradcheck

__all__ = ["Function", "GradcheckError", "GraphCheckReport", "check_graph", "check_node", "detect_anomaly",
           "enable_grad", "gradcheck",
           "is_grad_enabled", "no_grad", "set_grad_enabled"]
