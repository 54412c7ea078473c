"""`nn.MultiheadAttention`: PyTorch's parameter names (`in_proj_weight`, `out_proj.weight`)
and mask conventions (a boolean mask marks what may NOT be attended, unlike
`F.scaled_dot_product_attention`, where True means allowed)."""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from ..tensor import Tensor, get_default_dtype
from . import functional as F
from . import init
from .linear import Linear
from .module import Module, Parameter


class MultiheadAttention(Module):
    """Multi-head attention: project q, k, v, attend per head, project back.

    Returns (output, weights): weights averaged over heads (or per head with
    `average_attn_weights=False`), None when `need_weights=False`.

    >>> attention = nn.MultiheadAttention(64, 4, batch_first=True)
    >>> out, weights = attention(x, x, x)   # x (N, L, 64) -> (N, L, 64), (N, L, L)
    """

    def __init__(self, embed_dim: int, num_heads: int, dropout: float = 0.0, bias: bool = True,
                 add_bias_kv: bool = False, add_zero_attn: bool = False, kdim: int | None = None,
                 vdim: int | None = None, batch_first: bool = False, device: Any = None, dtype: Any = None):
        super().__init__()
        if embed_dim <= 0 or num_heads <= 0:
            raise ValueError(f"embed_dim and num_heads must be greater than 0, got embed_dim={embed_dim} and "
                             f"num_heads={num_heads} instead")
        if embed_dim % num_heads:
            raise AssertionError("embed_dim must be divisible by num_heads")
        if add_bias_kv or add_zero_attn:
            raise NotImplementedError("add_bias_kv and add_zero_attn are not supported")
        self.embed_dim, self.num_heads, self.dropout, self.batch_first = embed_dim, num_heads, dropout, batch_first
        self.kdim, self.vdim = kdim or embed_dim, vdim or embed_dim
        self.head_dim = embed_dim // num_heads
        self._qkv_same_embed_dim = self.kdim == embed_dim and self.vdim == embed_dim
        dtype = dtype or get_default_dtype()
        if self._qkv_same_embed_dim:
            self.in_proj_weight = Parameter(np.empty((3 * embed_dim, embed_dim), dtype))
            for name in ("q_proj_weight", "k_proj_weight", "v_proj_weight"):
                self.register_parameter(name, None)
        else:
            self.register_parameter("in_proj_weight", None)
            self.q_proj_weight = Parameter(np.empty((embed_dim, embed_dim), dtype))
            self.k_proj_weight = Parameter(np.empty((embed_dim, self.kdim), dtype))
            self.v_proj_weight = Parameter(np.empty((embed_dim, self.vdim), dtype))
        if bias:
            self.in_proj_bias = Parameter(np.zeros(3 * embed_dim, dtype))
        else:
            self.register_parameter("in_proj_bias", None)
        self.out_proj = Linear(embed_dim, embed_dim, bias=bias)
        self._reset_parameters()

    def _reset_parameters(self) -> None:
        for weight in (self.in_proj_weight, self.q_proj_weight, self.k_proj_weight, self.v_proj_weight):
            if weight is not None:
                init.xavier_uniform_(weight)
        if self.in_proj_bias is not None:
            init.zeros_(self.in_proj_bias)
            init.zeros_(self.out_proj.bias)

    def _projections(self) -> list[tuple[Tensor, Tensor | None]]:
        size = self.embed_dim
        if self._qkv_same_embed_dim:
            weights = [self.in_proj_weight[i * size:(i + 1) * size] for i in range(3)]
        else:
            weights = [self.q_proj_weight, self.k_proj_weight, self.v_proj_weight]
        biases = [self.in_proj_bias[i * size:(i + 1) * size] if self.in_proj_bias is not None else None
                  for i in range(3)]
        return list(zip(weights, biases))

    def forward(self, query: Tensor, key: Tensor, value: Tensor, key_padding_mask: Any = None,
                need_weights: bool = True, attn_mask: Any = None, average_attn_weights: bool = True,
                is_causal: bool = False) -> tuple[Tensor, Tensor | None]:
        batched = query.ndim == 3
        if query.ndim not in (2, 3):
            raise AssertionError(f"query should be unbatched 2D or batched 3D tensor but received {query.ndim}-D "
                                 "query tensor")
        if query.shape[-1] != self.embed_dim:
            raise AssertionError(f"was expecting embedding dimension of {self.embed_dim}, but got {query.shape[-1]}")
        if not batched:
            query, key, value = query.unsqueeze(0), key.unsqueeze(0), value.unsqueeze(0)
            if key_padding_mask is not None:
                key_padding_mask = np.asarray(_array(key_padding_mask))[None]
        elif not self.batch_first:
            query, key, value = query.transpose(0, 1), key.transpose(0, 1), value.transpose(0, 1)
        batch, length, source = query.shape[0], query.shape[1], key.shape[1]
        heads, head_dim = self.num_heads, self.head_dim

        def split(x: Tensor, projection: tuple) -> Tensor:  # (N, T, E) -> (N, heads, T, head_dim)
            projected = F.linear(x, *projection)
            return projected.reshape(batch, x.shape[1], heads, head_dim).transpose(1, 2)

        (wq, wk, wv) = self._projections()
        q, k, v = split(query, wq), split(key, wk), split(value, wv)
        scores = (q @ k.transpose(-2, -1)) * (1.0 / math.sqrt(head_dim))
        if is_causal and attn_mask is None:
            attn_mask = ~np.tril(np.ones((length, source), dtype=bool))
        if attn_mask is not None:
            mask = _array(attn_mask)
            if mask.ndim == 3:
                mask = mask.reshape(batch, heads, length, source)
            scores = scores.masked_fill(mask, float("-inf")) if mask.dtype == np.bool_ \
                else scores + (attn_mask.reshape(*mask.shape) if isinstance(attn_mask, Tensor) else mask)
        if key_padding_mask is not None:
            padding = _array(key_padding_mask)
            if padding.shape != (batch, source):
                raise AssertionError(f"expecting key_padding_mask shape of {(batch, source)}, but got {padding.shape}")
            padding = padding[:, None, None, :]
            scores = scores.masked_fill(padding, float("-inf")) if padding.dtype == np.bool_ else scores + padding
        weights = scores.softmax(-1)
        attended = F.dropout(weights, self.dropout, self.training) if self.dropout > 0 else weights
        output = (attended @ v).transpose(1, 2).reshape(batch, length, self.embed_dim)
        output = self.out_proj(output)
        if not batched:
            output = output.squeeze(0)
        elif not self.batch_first:
            output = output.transpose(0, 1)
        if not need_weights:
            return output, None
        if average_attn_weights:
            weights = weights.mean(dim=1)
        return output, (weights if batched else weights.squeeze(0))


def _array(mask: Any) -> np.ndarray:
    return mask._data if isinstance(mask, Tensor) else np.asarray(mask)
