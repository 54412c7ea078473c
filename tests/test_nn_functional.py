"""nn.functional losses with every PyTorch option, the functional layers, nn.init and nn.utils:
float64 gradchecks, and PyTorch's values, gradients and errors when torch is installed."""

from __future__ import annotations

import math

import numpy as np
import pytest

import tinygrad_hw as thw
import tinygrad_hw.nn.functional as F
from tinygrad_hw import nn


def _floats(*shape, low=-2.0, high=2.0, seed=0):
    return np.random.default_rng(seed + sum(shape)).uniform(low, high, shape)


def _labels(high, *shape, ignore=None):
    labels = np.random.default_rng(3).integers(0, high, shape)
    if ignore is not None:
        labels.flat[1] = ignore
    return labels


def _signs(*shape):
    return np.where(np.random.default_rng(5).random(shape) < 0.5, -1, 1).astype(np.float64)


def _probs(*shape):
    p = np.random.default_rng(4).uniform(0.1, 1, shape)
    return p / p.sum(1, keepdims=True)


W4 = np.array([0.5, 2.0, 1.0, 1.5])
# name: (function name, [differentiable float inputs], [other inputs], options (ours; torch's use tensors))
LOSSES = {
    "ce_weight": ("cross_entropy", [_floats(5, 4)], [_labels(4, 5)], {"weight": W4}),
    "ce_ignore": ("cross_entropy", [_floats(5, 4)], [_labels(4, 5, ignore=-100)], {}),
    "ce_smoothing": ("cross_entropy", [_floats(5, 4)], [_labels(4, 5)], {"label_smoothing": 0.2}),
    "ce_all_options": ("cross_entropy", [_floats(5, 4)], [_labels(4, 5, ignore=2)],
                       {"weight": W4, "ignore_index": 2, "label_smoothing": 0.3}),
    "ce_nd_weight_ignore": ("cross_entropy", [_floats(2, 4, 3, 2)], [_labels(4, 2, 3, 2, ignore=-1)],
                            {"weight": W4, "ignore_index": -1}),
    "ce_nd_plain": ("cross_entropy", [_floats(2, 4, 3)], [_labels(4, 2, 3)], {}),
    "ce_probs_weight_smoothing": ("cross_entropy", [_floats(5, 4)], [_probs(5, 4)],
                                  {"weight": W4, "label_smoothing": 0.1}),
    "nll_weight_ignore": ("nll_loss", [_floats(5, 4, low=-3, high=-0.1)], [_labels(4, 5, ignore=1)],
                          {"weight": W4, "ignore_index": 1}),
    "nll_nd": ("nll_loss", [_floats(2, 4, 3, low=-3, high=-0.1)], [_labels(4, 2, 3)], {}),
    "smooth_l1": ("smooth_l1_loss", [_floats(3, 4)], [_floats(3, 4, seed=1)], {"beta": 0.5}),
    "smooth_l1_beta0": ("smooth_l1_loss", [_floats(3, 4)], [_floats(3, 4, seed=1)], {"beta": 0.0}),
    "huber": ("huber_loss", [_floats(3, 4)], [_floats(3, 4, seed=1)], {"delta": 0.7}),
    "bce_weight": ("binary_cross_entropy", [_floats(3, 4, low=0.05, high=0.95)], [_floats(3, 4, low=0, high=1)],
                   {"weight": _floats(3, 4, low=0.5, high=2)}),
    "bce_logits_pos_weight": ("binary_cross_entropy_with_logits", [_floats(3, 4, low=-4, high=4)],
                              [_floats(3, 4, low=0, high=1)], {"pos_weight": _floats(4, low=0.5, high=3),
                                                               "weight": _floats(4, low=0.5, high=2)}),
    "kl_div": ("kl_div", [_floats(3, 4, low=-3, high=-0.1)], [_probs(3, 4)], {}),
    "kl_div_log_target": ("kl_div", [_floats(3, 4, low=-3, high=-0.1)], [np.log(_probs(3, 4))], {"log_target": True}),
    "margin_ranking": ("margin_ranking_loss", [_floats(6), _floats(6, seed=1)], [_signs(6)], {"margin": 0.3}),
    "hinge_embedding": ("hinge_embedding_loss", [_floats(3, 4)], [_signs(3, 4)], {"margin": 0.5}),
    "multi_margin_p2_weight": ("multi_margin_loss", [_floats(5, 4, low=-1, high=1)], [_labels(4, 5)],
                               {"p": 2, "margin": 0.7, "weight": W4}),
    "cosine_embedding": ("cosine_embedding_loss", [_floats(4, 3), _floats(4, 3, seed=1)], [_signs(4)],
                         {"margin": 0.2}),
    "triplet_swap": ("triplet_margin_loss", [_floats(4, 3), _floats(4, 3, seed=1), _floats(4, 3, seed=2)], [],
                     {"margin": 1.5, "p": 3, "swap": True}),
    "soft_margin": ("soft_margin_loss", [_floats(3, 4)], [_signs(3, 4)], {}),
}


def _our_call(name, reduction):
    function, floats, others, options = LOSSES[name]
    inputs = [thw.tensor(a, requires_grad=True) for a in floats]
    others = [thw.tensor(a) for a in others]
    options = {k: thw.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()}
    return inputs, lambda *xs: getattr(F, function)(*xs, *others, reduction=reduction, **options)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
def test_loss_gradcheck(name, reduction):
    inputs, call = _our_call(name, reduction)
    assert thw.gradcheck(call, tuple(inputs))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("name", LOSSES)
@pytest.mark.filterwarnings("ignore:reduction. .mean. divides")
def test_loss_matches_torch(name, reduction, torch):
    function, floats, others, options = LOSSES[name]
    inputs, call = _our_call(name, reduction)
    out = call(*inputs)
    out.backward(thw.ones_like(out))
    torch_inputs = [torch.tensor(a, requires_grad=True) for a in floats]
    torch_options = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in options.items()}
    torch_out = getattr(torch.nn.functional, function)(*torch_inputs, *[torch.tensor(a) for a in others],
                                                       reduction=reduction, **torch_options)
    torch_out.backward(torch.ones_like(torch_out))
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-9, atol=1e-12)
    for ours, theirs in zip(inputs, torch_inputs):
        np.testing.assert_allclose(ours.grad.numpy(), theirs.grad.numpy(), rtol=1e-9, atol=1e-12)


def test_kl_div_batchmean_and_loss_modules(torch):
    x, t = _floats(3, 4, low=-3, high=-0.1), _probs(3, 4)
    ours = F.kl_div(thw.tensor(x), thw.tensor(t), reduction="batchmean").item()
    theirs = torch.nn.functional.kl_div(torch.tensor(x), torch.tensor(t), reduction="batchmean").item()
    assert math.isclose(ours, theirs)
    assert math.isclose(nn.KLDivLoss(reduction="batchmean")(thw.tensor(x), thw.tensor(t)).item(), ours)
    logits, labels = thw.tensor(_floats(5, 4)), thw.tensor(_labels(4, 5, ignore=1))
    module = nn.CrossEntropyLoss(weight=thw.tensor(W4), ignore_index=1, label_smoothing=0.1, reduction="sum")
    assert "weight" in dict(module.named_buffers())
    expected = F.cross_entropy(logits, labels, weight=thw.tensor(W4), ignore_index=1, label_smoothing=0.1,
                               reduction="sum")
    assert module(logits, labels).item() == expected.item()
    a, b, y = thw.tensor(_floats(4, 3)), thw.tensor(_floats(4, 3, seed=1)), thw.tensor(_signs(4))
    assert nn.CosineEmbeddingLoss(0.2)(a, b, y).item() == F.cosine_embedding_loss(a, b, y, 0.2).item()
    assert nn.TripletMarginLoss(swap=True)(a, b, a * 2).item() == F.triplet_margin_loss(a, b, a * 2, swap=True).item()
    assert nn.HuberLoss(delta=0.5)(a, b).item() == F.huber_loss(a, b, delta=0.5).item()
    assert nn.NLLLoss(size_average=False).reduction == "sum"  # PyTorch's legacy arguments


def test_cross_entropy_fused_path_keeps_float32():
    logits = thw.tensor(np.array([[30.0, -30.0, 0.0], [0.1, 0.2, 0.3]], np.float32), requires_grad=True)
    labels = thw.tensor([0, 2])
    loss = F.cross_entropy(logits, labels)
    assert loss.dtype == np.float32 and loss.grad_fn.name().startswith("CrossEntropy")
    loss.backward()
    assert logits.grad.dtype == np.float32
    for options in ({"weight": thw.tensor([1.0, 2.0, 3.0])}, {"label_smoothing": 0.1}, {"ignore_index": 0}):
        smoothed = F.cross_entropy(logits, labels, **options)
        assert smoothed.dtype == np.float32 and np.isfinite(smoothed.item())


def test_cross_entropy_target_types():
    logits = thw.randn(2, 3)
    assert F.cross_entropy(logits, np.array([0, 2])).item() == F.cross_entropy(logits, thw.tensor([0, 2])).item()
    for target in ([0, 2], (0, 2), None, "02"):
        with pytest.raises(TypeError, match="argument 'target' \\(position 2\\) must be Tensor"):
            F.cross_entropy(logits, target)


# name: (our call, torch call) on float64 inputs given as arrays
FUNCTIONS = {
    "normalize": (lambda F, x: F.normalize(x, p=3.0, dim=0), [_floats(3, 4)]),
    "cosine_similarity": (lambda F, a, b: F.cosine_similarity(a, b, dim=0), [_floats(3, 4), _floats(1, 4, seed=1)]),
    "pairwise_distance": (lambda F, a, b: F.pairwise_distance(a, b, keepdim=True),
                          [_floats(3, 4), _floats(3, 4, seed=2)]),
    "pad_reflect_3d": (lambda F, x: F.pad(x, (1, 1, 2, 0), mode="reflect"), [_floats(2, 3, 3)]),
    "pad_replicate_4d": (lambda F, x: F.pad(x, (2, 0, 1, 3), mode="replicate"), [_floats(1, 2, 2, 3)]),
    "pad_circular": (lambda F, x: F.pad(x, (2, 1), mode="circular"), [_floats(2, 2, 3)]),
    "pad_constant_value": (lambda F, x: F.pad(x, (1, 2, 0, 0, 1, 0), value=-1.5), [_floats(2, 2, 3)]),
    "interpolate_bilinear": (lambda F, x: F.interpolate(x, scale_factor=(1.5, 0.75), mode="bilinear"),
                             [_floats(1, 2, 4, 4)]),
    "interpolate_nearest_exact": (lambda F, x: F.interpolate(x, size=5, mode="nearest-exact"), [_floats(1, 2, 3)]),
    "sdpa": (lambda F, q, k, v: F.scaled_dot_product_attention(q, k, v),
             [_floats(2, 3, 4), _floats(2, 5, 4, seed=1), _floats(2, 5, 2, seed=2)]),
    "sdpa_causal_scale": (lambda F, q, k, v: F.scaled_dot_product_attention(q, k, v, is_causal=True, scale=0.3),
                          [_floats(2, 2, 4, 3), _floats(2, 2, 4, 3, seed=1), _floats(2, 2, 4, 3, seed=2)]),
    "sdpa_float_mask": (lambda F, q, k, v: F.scaled_dot_product_attention(q, k, v, attn_mask=_float_mask(q)),
                        [_floats(3, 4), _floats(5, 4, seed=1), _floats(5, 2, seed=2)]),
    "layer_norm": (lambda F, x, w, b: F.layer_norm(x, (3, 4), w, b, eps=1e-3),
                   [_floats(2, 3, 4), _floats(3, 4, seed=1), _floats(3, 4, seed=2)]),
    "group_norm": (lambda F, x, w: F.group_norm(x, 3, w), [_floats(2, 6, 2), _floats(6, seed=1)]),
    "embedding": (lambda F, w: F.embedding(_index(w), w), [_floats(4, 3)]),
    "gelu_tanh": (lambda F, x: F.gelu(x, approximate="tanh"), [_floats(3, 4)]),
    "dropout_eval": (lambda F, x: F.dropout2d(x, 0.4, training=False), [_floats(2, 3, 2, 2)]),
    "one_hot_logits": (lambda F, x: x * F.one_hot(_index(x), 4), [_floats(2, 3, 4)]),
}
MASK = np.array([[0.0, -1.0, -np.inf, 2.0, 0.5]] * 3)


def _float_mask(q):
    return thw.tensor(MASK) if isinstance(q, thw.Tensor) else type(q)(MASK)


def _index(like):
    index = np.array([[0, 2, 1], [3, 3, 2]])
    return thw.tensor(index) if isinstance(like, thw.Tensor) else __import__("torch").tensor(index)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_gradcheck(name):
    call, arrays = FUNCTIONS[name]
    assert thw.gradcheck(lambda *xs: call(F, *xs), tuple(thw.tensor(a, requires_grad=True) for a in arrays))


@pytest.mark.parametrize("name", FUNCTIONS)
def test_function_matches_torch(name, torch):
    call, arrays = FUNCTIONS[name]
    ours = [thw.tensor(a, requires_grad=True) for a in arrays]
    theirs = [torch.tensor(a, requires_grad=True) for a in arrays]
    out, torch_out = call(F, *ours), call(torch.nn.functional, *theirs)
    np.testing.assert_allclose(out.numpy(), torch_out.detach().numpy(), rtol=1e-9, atol=1e-12)
    weights = np.random.default_rng(1).normal(size=out.shape)
    (out * thw.tensor(weights)).sum().backward()
    (torch_out * torch.tensor(weights)).sum().backward()
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9, atol=1e-12)


# (call on our library or torch's, exception type both raise)
ERRORS = [
    (lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 5, 1])), IndexError),
    (lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0, 1])), ValueError),
    (lambda lib, x: lib.nn.functional.cross_entropy(x, lib.tensor([0.0, 1.0, 1.0])), RuntimeError),
    (lambda lib, x: lib.nn.functional.cross_entropy(x, [0, 1, 1]), TypeError),
    (lambda lib, x: lib.nn.functional.nll_loss(x, lib.tensor([0, 1, 1]), weight=lib.ones(2)), RuntimeError),
    (lambda lib, x: lib.nn.functional.mse_loss(x, x, reduction="avg"), ValueError),
    (lambda lib, x: lib.nn.functional.binary_cross_entropy(x * 2, x), RuntimeError),
    (lambda lib, x: lib.nn.functional.layer_norm(x, (5,)), RuntimeError),
    (lambda lib, x: lib.nn.functional.group_norm(x, 3), RuntimeError),
    (lambda lib, x: lib.nn.GroupNorm(3, 4), ValueError),
    (lambda lib, x: lib.nn.Embedding(3, 2)(lib.tensor([3])), IndexError),
    (lambda lib, x: lib.nn.Embedding(3, 2)(x), RuntimeError),
    (lambda lib, x: lib.nn.LSTM(3, 2)(lib.ones(2, 1, 4)), RuntimeError),
    (lambda lib, x: lib.nn.GRU(4, 2)(lib.ones(2, 3, 4), lib.zeros(1, 2, 2)), RuntimeError),
    (lambda lib, x: lib.nn.LSTM(3, 2)(lib.ones(0, 1, 3)), RuntimeError),
    (lambda lib, x: lib.nn.Linear(2, 2).load_state_dict({"weight": lib.zeros(2, 2)}), RuntimeError),
    (lambda lib, x: lib.nn.Module().register_buffer("a.b", None), KeyError),
    (lambda lib, x: lib.nn.Sequential(lib.nn.ReLU())[3], IndexError),
    (lambda lib, x: lib.nn.Linear(2, 2).train("no"), ValueError),
    (lambda lib, x: lib.nn.functional.pad(x, (1, 2, 3)), RuntimeError),
    (lambda lib, x: lib.nn.functional.pad(x.reshape(1, 3, 4), (4, 0), mode="reflect"), RuntimeError),
    (lambda lib, x: lib.nn.functional.interpolate(x.reshape(1, 1, 3, 4), size=2, scale_factor=2), ValueError),
    (lambda lib, x: lib.nn.MultiheadAttention(6, 4), AssertionError),
    (lambda lib, x: lib.nn.BatchNorm1d(5)(x), RuntimeError),
    (lambda lib, x: lib.nn.functional.gelu(x, approximate="fast"), RuntimeError),
    (lambda lib, x: lib.nn.init.calculate_gain("swish"), ValueError),
    (lambda lib, x: lib.nn.init.orthogonal_(lib.ones(3)), ValueError),
    (lambda lib, x: lib.nn.init.kaiming_uniform_(lib.ones(3, 3), mode="fan"), ValueError),
    (lambda lib, x: lib.nn.init.eye_(lib.ones(3, 3, 3)), ValueError),
    (lambda lib, x: lib.nn.Dropout(1.5), ValueError),
    (lambda lib, x: lib.nn.Unflatten(1, (3, 2))(x), RuntimeError),
]


@pytest.mark.parametrize("index", range(len(ERRORS)))
def test_errors_match_torch(index, torch):
    call, error = ERRORS[index]
    x = np.random.default_rng(0).uniform(0.1, 0.9, (3, 4)).astype(np.float32)
    with pytest.raises(error):
        call(thw, thw.tensor(x))
    with pytest.raises(error):
        call(torch, torch.tensor(x))


def test_init_fan_gain_and_in_place(torch):
    assert nn.init.calculate_gain("leaky_relu", 0.2) == torch.nn.init.calculate_gain("leaky_relu", 0.2)
    for name in ("linear", "conv_transpose2d", "sigmoid", "tanh", "relu", "selu", "leaky_relu"):
        assert nn.init.calculate_gain(name) == torch.nn.init.calculate_gain(name)
    layer = nn.Linear(400, 300)
    weight = layer.weight
    n = 400 * 300
    for function, expected_std in ((lambda w: nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu"),
                                    math.sqrt(2 / 300)),
                                   (lambda w: nn.init.kaiming_uniform_(w, a=math.sqrt(5)), math.sqrt(1 / 3 / 400)),
                                   (nn.init.xavier_normal_, math.sqrt(2 / 700)),
                                   (nn.init.xavier_uniform_, math.sqrt(2 / 700)),
                                   (lambda w: nn.init.trunc_normal_(w, std=0.02), 0.02),
                                   (lambda w: nn.init.normal_(w, 0, 0.5), 0.5)):
        assert function(weight) is weight and layer.weight is weight and weight.requires_grad
        assert abs(weight.numpy().std() - expected_std) < 4 * expected_std / math.sqrt(n) + 1e-3 * expected_std
        assert weight.grad_fn is None
    nn.init.trunc_normal_(weight, mean=1.0, std=3.0, a=-1.0, b=2.0)
    assert weight.numpy().min() >= -1 and weight.numpy().max() <= 2 and weight.dtype == np.float32
    q = nn.init.orthogonal_(thw.empty(3, 5), gain=2.0).numpy()
    np.testing.assert_allclose(q @ q.T, 4 * np.eye(3), atol=1e-5)
    tall = nn.init.orthogonal_(thw.empty(6, 2, 2)).numpy().reshape(6, 4)
    np.testing.assert_allclose(tall.T @ tall, np.eye(4), atol=1e-5)
    sparse = nn.init.sparse_(thw.empty(10, 4), sparsity=0.3).numpy()
    assert ((sparse == 0).sum(axis=0) == 3).all()
    np.testing.assert_array_equal(nn.init.eye_(thw.empty(2, 3)).numpy(), np.eye(2, 3))
    kernel = nn.init.dirac_(thw.empty(4, 2, 3, 3), groups=2)
    expected = torch.nn.init.dirac_(torch.empty(4, 2, 3, 3), groups=2)
    np.testing.assert_array_equal(kernel.numpy(), expected.numpy())
    generator = thw.Generator().manual_seed(3)
    first = nn.init.uniform_(thw.empty(4), generator=generator).numpy().copy()
    generator.manual_seed(3)
    np.testing.assert_array_equal(nn.init.uniform_(thw.empty(4), generator=generator).numpy(), first)


def test_clip_grad_and_vectors(torch):
    arrays = [_floats(3, 4), _floats(5), _floats(2, 2, seed=3)]
    ours = [nn.Parameter(thw.tensor(a)) for a in arrays]
    theirs = [torch.nn.Parameter(torch.tensor(a)) for a in arrays]
    for params in (ours, theirs):
        (sum((p * p * 3).sum() for p in params)).backward()
    for norm_type in (2.0, 1.0, math.inf):
        total = nn.utils.clip_grad_norm_(ours, max_norm=1.5, norm_type=norm_type, foreach=True)
        torch_total = torch.nn.utils.clip_grad_norm_(theirs, max_norm=1.5, norm_type=norm_type)
        assert isinstance(total, thw.Tensor) and math.isclose(total.item(), torch_total.item(), rel_tol=1e-9)
        for a, b in zip(ours, theirs):
            np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy(), rtol=1e-9)
    nn.utils.clip_grad_value_(ours, 0.1)
    torch.nn.utils.clip_grad_value_(theirs, 0.1)
    for a, b in zip(ours, theirs):
        np.testing.assert_allclose(a.grad.numpy(), b.grad.numpy())
    ours[0].grad._data[0, 0] = np.nan
    with pytest.raises(RuntimeError, match="non-finite"):
        nn.utils.clip_grad_norm_(ours, 1.0, error_if_nonfinite=True)
    vector = nn.utils.parameters_to_vector(ours)
    np.testing.assert_array_equal(vector.numpy(), torch.nn.utils.parameters_to_vector(theirs).detach().numpy())
    nn.utils.vector_to_parameters(vector * 2, ours)
    np.testing.assert_array_equal(ours[1].numpy(), 2 * arrays[1])
    with pytest.raises(TypeError):
        nn.utils.parameters_to_vector(ours[0])


def test_nn_utils_import_paths():
    import tinygrad_hw as torch_like
    from tinygrad_hw.nn.utils import clip_grad_norm_  # noqa: F401

    assert torch_like.nn.utils.clip_grad_norm_ is nn.utils.clip_grad_norm_
