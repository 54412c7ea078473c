"""Recurrent layers: `RNN`, `LSTM`, `GRU` (multi-layer, bidirectional, batch_first, dropout
between layers) and their single-step cells, with PyTorch's parameter names
(`weight_ih_l0`, `weight_hh_l0_reverse`, ...), gate order and initialisation.

The input-to-hidden product of a whole sequence is one matrix multiply before the loop, split
into steps by one node (`_Unbind`). A whole LSTM layer is one fused `Function` (`_LSTMLayer`),
a GRU step one `Function` (`_GRUStep`), and `LSTMCell` uses `_LSTMStep` (three to seven times
faster to train than the same steps as a dozen Tensor ops, measured); the plain RNN step is
written with Tensor operations.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..autograd.function import Function
from ..ops.shape import cat, stack
from ..random import generator
from ..tensor import Tensor, get_default_dtype
from . import functional as F
from .module import Module, Parameter

_GATES = {"RNN_TANH": 1, "RNN_RELU": 1, "LSTM": 4, "GRU": 3}


def _sigmoid(values: np.ndarray) -> np.ndarray:
    return 0.5 * np.tanh(0.5 * values) + 0.5  # no overflow warnings for large |x|


class _LSTMStep(Function):
    """gates = x_part + h W_hhᵀ + b_hh split as i, f, g, o;  c' = σ(f)c + σ(i)tanh(g),  h' = σ(o)tanh(c').
    Backward: dc' = g_c + g_h·σ(o)(1 - tanh²c'), then each gate's local derivative;
    dW_hh = dgatesᵀ h,  dh = dgates W_hh,  dc = dc'·σ(f),  dx_part = dgates."""

    @staticmethod
    def forward(ctx, input_gates, hidden, cell, weight_hh, bias_hh=None):
        gates = input_gates + hidden @ weight_hh.T
        if bias_hh is not None:
            gates += bias_hh
        size = hidden.shape[-1]
        in_gate, forget_gate = _sigmoid(gates[..., :size]), _sigmoid(gates[..., size:2 * size])
        candidate, out_gate = np.tanh(gates[..., 2 * size:3 * size]), _sigmoid(gates[..., 3 * size:])
        new_cell = forget_gate * cell + in_gate * candidate
        cell_tanh = np.tanh(new_cell)
        ctx.save_for_backward(hidden, cell, in_gate, forget_gate, candidate, out_gate, cell_tanh, weight_hh)
        ctx.has_bias = bias_hh is not None
        return out_gate * cell_tanh, new_cell

    @staticmethod
    def backward(ctx, grad_hidden, grad_cell):
        hidden, cell, in_gate, forget_gate, candidate, out_gate, cell_tanh, weight_hh = ctx.saved_tensors
        grad_cell = grad_cell + grad_hidden * out_gate * (1 - cell_tanh * cell_tanh)
        grad_gates = np.concatenate([grad_cell * candidate * in_gate * (1 - in_gate),
                                     grad_cell * cell * forget_gate * (1 - forget_gate),
                                     grad_cell * in_gate * (1 - candidate * candidate),
                                     grad_hidden * cell_tanh * out_gate * (1 - out_gate)], axis=-1)
        rows, hidden_rows = grad_gates.reshape(-1, grad_gates.shape[-1]), hidden.reshape(-1, hidden.shape[-1])
        grad_weight = rows.T @ hidden_rows if ctx.needs_input_grad[3] else None
        grad_bias = rows.sum(axis=0) if ctx.has_bias and ctx.needs_input_grad[4] else None
        return grad_gates, grad_gates @ weight_hh, grad_cell * forget_gate, grad_weight, grad_bias


class _LSTMLayer(Function):
    """`_LSTMStep` over a whole sequence (L, N, 4H) in one node, forward in time (or reversed);
    backward runs the same local derivatives back through time, and takes dW_hh, db_hh for all
    steps in one multiply. Returns (outputs (L, N, H), h_n, c_n)."""

    @staticmethod
    def forward(ctx, input_gates, hidden, cell, weight_hh, bias_hh=None, reverse=False):
        length, size = input_gates.shape[0], hidden.shape[-1]
        dtype = np.result_type(input_gates, hidden)
        outputs = np.empty((length,) + hidden.shape, dtype)
        previous_hidden = np.empty_like(outputs)
        previous_cell = np.empty_like(outputs)
        activations = np.empty(input_gates.shape, dtype)
        cell_tanhs = np.empty_like(outputs)
        recurrent = weight_hh.T
        for t in (range(length - 1, -1, -1) if reverse else range(length)):
            previous_hidden[t], previous_cell[t] = hidden, cell
            gates = input_gates[t] + hidden @ recurrent
            if bias_hh is not None:
                gates += bias_hh
            act = activations[t]
            act[..., :2 * size] = _sigmoid(gates[..., :2 * size])  # i, f
            act[..., 2 * size:3 * size] = np.tanh(gates[..., 2 * size:3 * size])  # g
            act[..., 3 * size:] = _sigmoid(gates[..., 3 * size:])  # o
            cell = act[..., size:2 * size] * cell + act[..., :size] * act[..., 2 * size:3 * size]
            cell_tanhs[t] = np.tanh(cell)
            hidden = act[..., 3 * size:] * cell_tanhs[t]
            outputs[t] = hidden
        ctx.save_for_backward(previous_hidden, previous_cell, activations, cell_tanhs, weight_hh)
        ctx.reverse, ctx.has_bias = reverse, bias_hh is not None
        return outputs, hidden, cell

    @staticmethod
    def backward(ctx, grad_outputs, grad_hidden, grad_cell):
        previous_hidden, previous_cell, activations, cell_tanhs, weight_hh = ctx.saved_tensors
        length, size = activations.shape[0], previous_hidden.shape[-1]
        grad_gates = np.empty_like(activations)
        grad_hidden, grad_cell = grad_hidden.copy(), grad_cell.copy()
        for t in (range(length) if ctx.reverse else range(length - 1, -1, -1)):
            act = activations[t]
            in_gate, forget_gate = act[..., :size], act[..., size:2 * size]
            candidate, out_gate = act[..., 2 * size:3 * size], act[..., 3 * size:]
            grad_h = grad_hidden + grad_outputs[t]
            grad_c = grad_cell + grad_h * out_gate * (1 - cell_tanhs[t] * cell_tanhs[t])
            step = grad_gates[t]
            step[..., :size] = grad_c * candidate * in_gate * (1 - in_gate)
            step[..., size:2 * size] = grad_c * previous_cell[t] * forget_gate * (1 - forget_gate)
            step[..., 2 * size:3 * size] = grad_c * in_gate * (1 - candidate * candidate)
            step[..., 3 * size:] = grad_h * cell_tanhs[t] * out_gate * (1 - out_gate)
            grad_hidden = step @ weight_hh
            grad_cell = grad_c * forget_gate
        rows = grad_gates.reshape(-1, grad_gates.shape[-1])
        grad_weight = rows.T @ previous_hidden.reshape(-1, size) if ctx.needs_input_grad[3] else None
        grad_bias = rows.sum(axis=0) if ctx.has_bias and ctx.needs_input_grad[4] else None
        return grad_gates, grad_hidden, grad_cell, grad_weight, grad_bias


class _GRUStep(Function):
    """r = σ(x_r + h_r), z = σ(x_z + h_z), n = tanh(x_n + r·h_n) with h_* = (h W_hhᵀ + b_hh) parts;
    h' = n + z·(h - n).  Backward: dn = g(1 - z), dz = g(h - n), each through its gate's derivative;
    the hidden parts' gradient is (dr, dz, dn·r), giving dW_hh, db_hh and dh = g·z + (...) W_hh."""

    @staticmethod
    def forward(ctx, input_gates, hidden, weight_hh, bias_hh=None):
        hidden_gates = hidden @ weight_hh.T
        if bias_hh is not None:
            hidden_gates += bias_hh
        size = hidden.shape[-1]
        reset = _sigmoid(input_gates[..., :size] + hidden_gates[..., :size])
        update = _sigmoid(input_gates[..., size:2 * size] + hidden_gates[..., size:2 * size])
        hidden_new = hidden_gates[..., 2 * size:]
        new = np.tanh(input_gates[..., 2 * size:] + reset * hidden_new)
        ctx.save_for_backward(hidden, reset, update, new, hidden_new, weight_hh)
        ctx.has_bias = bias_hh is not None
        return new + update * (hidden - new)

    @staticmethod
    def backward(ctx, grad_output):
        hidden, reset, update, new, hidden_new, weight_hh = ctx.saved_tensors
        grad_new = grad_output * (1 - update) * (1 - new * new)
        grad_reset = grad_new * hidden_new * reset * (1 - reset)
        grad_update = grad_output * (hidden - new) * update * (1 - update)
        grad_input = np.concatenate([grad_reset, grad_update, grad_new], axis=-1)
        grad_hidden_gates = np.concatenate([grad_reset, grad_update, grad_new * reset], axis=-1)
        rows = grad_hidden_gates.reshape(-1, grad_hidden_gates.shape[-1])
        grad_weight = rows.T @ hidden.reshape(-1, hidden.shape[-1]) if ctx.needs_input_grad[2] else None
        grad_bias = rows.sum(axis=0) if ctx.has_bias and ctx.needs_input_grad[3] else None
        grad_hidden = grad_output * update + grad_hidden_gates @ weight_hh
        return grad_input, grad_hidden, grad_weight, grad_bias


class _Unbind(Function):
    """The steps of a sequence as separate outputs;  d/dx = the step gradients stacked back."""

    @staticmethod
    def forward(ctx, sequence):
        return tuple(sequence)

    @staticmethod
    def backward(ctx, *grad_steps):
        return np.stack(grad_steps)


def _steps(sequence: Tensor) -> tuple:
    return _Unbind.apply(sequence) if len(sequence) > 1 else (sequence[0],)


def _step(mode: str, input_gates: Tensor, hidden: Tensor, cell: Tensor | None, weight_hh: Tensor,
          bias_hh: Tensor | None) -> tuple[Tensor, Tensor | None]:
    """One time step given the input's part of the gates (x W_ihᵀ + b_ih); returns (h, c)."""
    if mode == "LSTM":  # gates i, f, g, o
        if bias_hh is None:
            return _LSTMStep.apply(input_gates, hidden, cell, weight_hh)
        return _LSTMStep.apply(input_gates, hidden, cell, weight_hh, bias_hh)
    if mode == "GRU":  # gates r, z, n; the reset gate scales h W_hnᵀ + b_hn
        if bias_hh is None:
            return _GRUStep.apply(input_gates, hidden, weight_hh), None
        return _GRUStep.apply(input_gates, hidden, weight_hh, bias_hh), None
    hidden_gates = F.linear(hidden, weight_hh, bias_hh)
    total = input_gates + hidden_gates
    return (total.tanh() if mode == "RNN_TANH" else total.relu()), None


def _uniform(shape: tuple, bound: float) -> Parameter:
    return Parameter(generator().uniform(-bound, bound, shape).astype(get_default_dtype()))


class RNNBase(Module):
    """The shared multi-layer recurrent network; see `RNN`, `LSTM` and `GRU`."""

    def __init__(self, mode: str, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None):
        super().__init__()
        if not 0 <= dropout <= 1 or isinstance(dropout, bool):
            raise ValueError("dropout should be a number in range [0, 1] representing the probability of an "
                             "element being zeroed")
        if not isinstance(hidden_size, int) or hidden_size <= 0:
            raise ValueError("hidden_size must be greater than zero")
        if num_layers <= 0:
            raise ValueError("num_layers must be greater than zero")
        if proj_size:
            raise NotImplementedError("proj_size is not supported")
        self.mode, self.input_size, self.hidden_size, self.num_layers = mode, input_size, hidden_size, num_layers
        self.bias, self.batch_first, self.dropout = bias, batch_first, float(dropout)
        self.bidirectional, self.proj_size = bidirectional, proj_size
        directions = 2 if bidirectional else 1
        gate_size = _GATES[mode] * hidden_size
        bound = 1 / math.sqrt(hidden_size)
        self._flat_weights_names = []
        for layer in range(num_layers):
            for direction in range(directions):
                suffix = f"_l{layer}" + ("_reverse" if direction else "")
                layer_input = input_size if layer == 0 else hidden_size * directions
                shapes = [("weight_ih", (gate_size, layer_input)), ("weight_hh", (gate_size, hidden_size))]
                if bias:
                    shapes += [("bias_ih", (gate_size,)), ("bias_hh", (gate_size,))]
                for name, shape in shapes:
                    setattr(self, name + suffix, _uniform(shape, bound))
                    self._flat_weights_names.append(name + suffix)

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.hidden_size)
        for param in self.parameters():
            param._data[...] = generator().uniform(-bound, bound, param.shape)

    def _layer_weights(self, layer: int, direction: int) -> tuple:
        suffix = f"_l{layer}" + ("_reverse" if direction else "")
        return tuple(getattr(self, name + suffix, None) for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"))

    def forward(self, input: Tensor, hx: Any = None) -> tuple[Tensor, Any]:
        batched = input.ndim == 3
        if input.ndim not in (2, 3):
            raise ValueError(f"{type(self).__name__}: Expected input to be 2D or 3D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input.size(-1) must be equal to input_size. Expected {self.input_size}, "
                               f"got {input.shape[-1]}")
        sequence = input if batched else input.unsqueeze(1)
        if batched and self.batch_first:
            sequence = sequence.transpose(0, 1)
        length, batch = sequence.shape[0], sequence.shape[1]
        if length == 0:
            raise RuntimeError("Expected sequence length to be larger than 0 in RNN")
        directions = 2 if self.bidirectional else 1
        hidden, cell = self._initial_state(hx, batch, batched, directions, sequence)
        final_hidden, final_cell = [], []
        layer_input = sequence
        for layer in range(self.num_layers):
            outputs = []
            for direction in range(directions):
                index = layer * directions + direction
                weight_ih, weight_hh, bias_ih, bias_hh = self._layer_weights(layer, direction)
                input_gates = F.linear(layer_input, weight_ih, bias_ih)  # every step in one multiply
                h = hidden[index]
                c = cell[index] if cell is not None else None
                if self.mode == "LSTM":  # the whole sequence in one fused node
                    extra = (weight_hh,) if bias_hh is None else (weight_hh, bias_hh)
                    output, h, c = _LSTMLayer.apply(input_gates, h, c, *extra, reverse=bool(direction))
                    outputs.append(output)
                    final_hidden.append(h)
                    final_cell.append(c)
                    continue
                input_gates = _steps(input_gates)
                steps = range(length - 1, -1, -1) if direction else range(length)
                results = [None] * length
                for t in steps:
                    h, c = _step(self.mode, input_gates[t], h, c, weight_hh, bias_hh)
                    results[t] = h
                outputs.append(stack(results))
                final_hidden.append(h)
                final_cell.append(c)
            layer_input = outputs[0] if directions == 1 else cat(outputs, -1)
            if self.dropout and self.training and layer < self.num_layers - 1:
                layer_input = F.dropout(layer_input, self.dropout, True)
        output = layer_input
        h_n = stack(final_hidden)
        c_n = stack(final_cell) if self.mode == "LSTM" else None
        if batched and self.batch_first:
            output = output.transpose(0, 1)
        if not batched:
            output, h_n = output.squeeze(1), h_n.squeeze(1)
            c_n = c_n.squeeze(1) if c_n is not None else None
        return (output, (h_n, c_n)) if self.mode == "LSTM" else (output, h_n)

    def _initial_state(self, hx: Any, batch: int, batched: bool, directions: int, like: Tensor) -> tuple:
        expected = (self.num_layers * directions, batch, self.hidden_size)
        zeros = Tensor._make(np.zeros(expected, like.dtype), False, None)
        if hx is None:
            return zeros, (zeros if self.mode == "LSTM" else None)
        if self.mode == "LSTM":
            if not isinstance(hx, (tuple, list)) or len(hx) != 2:
                raise RuntimeError("LSTM expects hx as a tuple (h_0, c_0)")
            states = list(hx)
        else:
            states = [hx]
        checked = []
        for state in states:
            state = state if batched else state.unsqueeze(1)
            if state.shape != expected:
                wanted = expected if batched else (expected[0], expected[2])
                raise RuntimeError(f"Expected hidden size {wanted}, "
                                   f"got {list(state.shape if batched else state.squeeze(1).shape)}")
            checked.append(state)
        return checked[0], (checked[1] if self.mode == "LSTM" else None)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if self.num_layers != 1:
            text += f", num_layers={self.num_layers}"
        for name, default in (("bias", True), ("batch_first", False), ("dropout", 0.0), ("bidirectional", False)):
            if getattr(self, name) != default:
                text += f", {name}={getattr(self, name)}"
        return text


class RNN(RNNBase):
    """Elman RNN: h_t = tanh(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh) (or relu).

    >>> rnn = nn.RNN(10, 20, num_layers=2, batch_first=True)
    >>> output, h_n = rnn(thw.randn(3, 5, 10))   # (3, 5, 20), (2, 3, 20)
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, nonlinearity: str = "tanh",
                 bias: bool = True, batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'.")
        super().__init__("RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU", input_size, hidden_size,
                         num_layers, bias, batch_first, dropout, bidirectional)
        self.nonlinearity = nonlinearity


class LSTM(RNNBase):
    """Long short-term memory; returns (output, (h_n, c_n)).

    >>> lstm = nn.LSTM(10, 20, batch_first=True, bidirectional=True)
    >>> output, (h_n, c_n) = lstm(thw.randn(3, 5, 10))   # (3, 5, 40), (2, 3, 20), (2, 3, 20)
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 proj_size: int = 0, device: Any = None, dtype: Any = None):
        super().__init__("LSTM", input_size, hidden_size, num_layers, bias, batch_first, dropout,
                         bidirectional, proj_size)


class GRU(RNNBase):
    """Gated recurrent unit; returns (output, h_n).

    >>> gru = nn.GRU(10, 20, num_layers=2)
    >>> output, h_n = gru(thw.randn(5, 3, 10))   # (5, 3, 20), (2, 3, 20)
    """

    def __init__(self, input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                 batch_first: bool = False, dropout: float = 0.0, bidirectional: bool = False,
                 device: Any = None, dtype: Any = None):
        super().__init__("GRU", input_size, hidden_size, num_layers, bias, batch_first, dropout, bidirectional)


class RNNCellBase(Module):
    """One step of a recurrent layer, with weights weight_ih, weight_hh, bias_ih, bias_hh."""

    mode = "RNN_TANH"

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, device: Any = None, dtype: Any = None):
        super().__init__()
        self.input_size, self.hidden_size, self.bias = input_size, hidden_size, bias
        gate_size = _GATES[self.mode] * hidden_size
        bound = 1 / math.sqrt(hidden_size)
        self.weight_ih = _uniform((gate_size, input_size), bound)
        self.weight_hh = _uniform((gate_size, hidden_size), bound)
        if bias:
            self.bias_ih = _uniform((gate_size,), bound)
            self.bias_hh = _uniform((gate_size,), bound)
        else:
            self.register_parameter("bias_ih", None)
            self.register_parameter("bias_hh", None)

    def _check(self, input: Tensor) -> bool:
        if input.ndim not in (1, 2):
            raise ValueError(f"{type(self).__name__}: Expected input to be 1D or 2D, got {input.ndim}D instead")
        if input.shape[-1] != self.input_size:
            raise RuntimeError(f"input has inconsistent input_size: got {input.shape[-1]} expected {self.input_size}")
        return input.ndim == 2

    def _state(self, state: Tensor | None, input: Tensor) -> Tensor:
        if state is None:
            return Tensor._make(np.zeros(input.shape[:-1] + (self.hidden_size,), input.dtype), False, None)
        if state.shape != input.shape[:-1] + (self.hidden_size,):
            raise RuntimeError(f"Expected hidden size {input.shape[:-1] + (self.hidden_size,)}, got {state.shape}")
        return state

    def _run(self, input: Tensor, hidden: Tensor, cell: Tensor | None = None) -> tuple:
        input_gates = F.linear(input, self.weight_ih, self.bias_ih)
        return _step(self.mode, input_gates, hidden, cell, self.weight_hh, self.bias_hh)

    def extra_repr(self) -> str:
        text = f"{self.input_size}, {self.hidden_size}"
        if not self.bias:
            text += ", bias=False"
        if getattr(self, "nonlinearity", "tanh") != "tanh":
            text += f", nonlinearity={self.nonlinearity}"
        return text


class RNNCell(RNNCellBase):
    """>>> h = nn.RNNCell(10, 20)(thw.randn(3, 10), h)"""

    def __init__(self, input_size: int, hidden_size: int, bias: bool = True, nonlinearity: str = "tanh",
                 device: Any = None, dtype: Any = None):
        if nonlinearity not in ("tanh", "relu"):
            raise ValueError(f"Unknown nonlinearity: {nonlinearity}")
        self.mode = "RNN_TANH" if nonlinearity == "tanh" else "RNN_RELU"
        super().__init__(input_size, hidden_size, bias)
        self.nonlinearity = nonlinearity

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "mode" and "_parameters" not in self.__dict__:
            object.__setattr__(self, name, value)
        else:
            super().__setattr__(name, value)

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        self._check(input)
        return self._run(input, self._state(hx, input))[0]


class LSTMCell(RNNCellBase):
    """>>> h, c = nn.LSTMCell(10, 20)(thw.randn(3, 10), (h, c))"""

    mode = "LSTM"

    def forward(self, input: Tensor, hx: Any = None) -> tuple[Tensor, Tensor]:
        self._check(input)
        hidden, cell = (None, None) if hx is None else hx
        return self._run(input, self._state(hidden, input), self._state(cell, input))


class GRUCell(RNNCellBase):
    """>>> h = nn.GRUCell(10, 20)(thw.randn(3, 10), h)"""

    mode = "GRU"

    def forward(self, input: Tensor, hx: Tensor | None = None) -> Tensor:
        self._check(input)
        return self._run(input, self._state(hx, input))[0]
