"""The lectures' small worked examples, each checked by the engine.

Losses (cross-entropy vs the multiclass SVM loss on the cat/car/frog scores), gradient descent
on f(x, y) = (x+2y−7)² + (2x+y−5)² at four learning rates, SGD vs momentum in a narrow valley,
step and cosine decay, the 20-line two-layer net against hand-written NumPy, the AND neuron,
and logistic regression with log loss and the λ/2n L2 penalty.
"""

from __future__ import annotations

import numpy as np

from .. import manual_seed, nn, no_grad, optim, tensor
from ..data import Digits
from ..nn import functional as F
from ..plot import _save, plt
from ..train import evaluate, fit
from .common import Config
from .report import Section

# --------------------------------------------------------------------------- losses


def losses(scores: list[float], label: int) -> tuple[float, float]:
    """(cross-entropy, SVM loss as in the lecture: PyTorch's multi_margin_loss times the classes)."""
    s = tensor([scores], dtype=np.float64)
    target = tensor([label])
    return F.cross_entropy(s, target).item(), F.multi_margin_loss(s, target).item() * len(scores)


def loss_table() -> list[list]:
    """[scores, SVM loss, cross-entropy, lecture's SVM, lecture's cross-entropy] rows."""
    lecture = {(3.2, 5.1, -1.7): ("2.9", "2.04"), (10, -2, 3): ("0", "0.00092"), (10, 9, 9): ("0", "0.551"),
               (10, -100, -100): ("0", "≈ 1e-48")}
    rows = []
    for scores, (svm_said, ce_said) in lecture.items():
        ce, svm = losses(list(scores), 0)
        rows.append([str(list(scores)), f"{svm:.3g}", svm_said, f"{ce:.3g}", ce_said])
    return rows


def loss_comparison(config: Config, section: Section) -> None:
    section.headers = ["scores (true class first)", "SVM loss", "lecture", "cross-entropy", "lecture"]
    section.rows = loss_table()
    section.notes.append("The SVM loss is 0 once the margin is met; the cross-entropy keeps asking for more.")

# --------------------------------------------------------------------------- gradient descent in 2-D


def booth(point):
    """f(x, y) = (x + 2y − 7)² + (2x + y − 5)², its minimum 0 at (1, 3); works on Tensors and arrays."""
    return (point[0] + 2 * point[1] - 7) ** 2 + (2 * point[0] + point[1] - 5) ** 2


def valley(point):
    """f(x, y) = x² + 10y², a narrow valley."""
    return point[0] ** 2 + 10 * point[1] ** 2


def descend(f, lr: float, steps: int, start, momentum: float = 0.0) -> np.ndarray:
    """The path of (momentum) gradient descent on f from `start`; the gradient comes from backward()."""
    point = tensor(start, dtype=np.float64, requires_grad=True)
    optimizer = optim.SGD([point], lr=lr, momentum=momentum)
    path = [point.numpy().copy()]
    for _ in range(steps):
        optimizer.zero_grad()
        f(point).backward()
        optimizer.step()
        path.append(point.numpy().copy())
        if not np.isfinite(path[-1]).all() or np.abs(path[-1]).max() > 1e6:
            break
    return np.array(path)


BOOTH_RATES = {0.01: "falls short", 0.10: "converges", 0.11: "oscillates", 0.12: "diverges"}


def _verdict(path: np.ndarray) -> str:
    distances = np.linalg.norm(path - np.array([1.0, 3.0]), axis=1)
    if distances[-1] > distances[0]:
        return "diverges"
    if distances[-1] < 0.05:
        return "converges"
    steps = np.diff(path, axis=0)
    flips = (np.sum(steps[1:] * steps[:-1], axis=1) < 0).mean()
    return "oscillates" if flips > 0.5 else "falls short"


def booth_descent(config: Config, section: Section, steps: int = 30, start=(-2.0, 8.0)) -> None:
    section.headers = ["learning rate", "after steps", "point", "f", "ours", "lecture"]
    paths = {}
    for lr, said in BOOTH_RATES.items():
        path = descend(booth, lr, steps, start)
        paths[lr] = path
        section.rows.append([f"{lr:.2f}", len(path) - 1, f"({path[-1, 0]:.3g}, {path[-1, 1]:.3g})",
                             f"{booth(path[-1]):.3g}", _verdict(path), said])
    section.notes.append("The Hessian [[10, 8], [8, 10]] has eigenvalues 18 and 2: gradient descent is stable "
                         "for rates below 2/18 ≈ 0.111.")
    figure, axes = plt.subplots(1, 4, figsize=(16, 4.4))
    xs, ys = np.meshgrid(np.linspace(-6, 8, 200), np.linspace(-5, 11, 200))
    for axis, (lr, path) in zip(axes, paths.items()):
        axis.contour(xs, ys, booth(np.stack([xs, ys])), levels=np.geomspace(0.5, 2000, 14), colors="0.65",
                     linewidths=0.7)
        shown = path[np.abs(path).max(axis=1) < 40]
        axis.plot(shown[:, 0], shown[:, 1], "o-", ms=2.5, lw=1, color="tab:red")
        axis.plot(1, 3, "k*", ms=11)
        axis.plot(*start, "ks", ms=5)
        axis.set_xlim(-6, 8)
        axis.set_ylim(-5, 11)
        axis.set_aspect("equal")
        axis.set_title(f"rate {lr:.2f}: {_verdict(path)}")
        axis.set_xlabel("x")
    axes[0].set_ylabel("y")
    figure.suptitle(f"Gradient descent on f(x, y) = (x+2y−7)² + (2x+y−5)², {steps} steps from {start} "
                    "(■ start, ★ minimum)")
    section.pictures.append(_save(figure, config.folder("lectures") / "gradient_descent_rates.png"))


def momentum_paths(steps: int = 40) -> dict:
    return {"gradient descent (lr 0.02)": descend(valley, 0.02, steps, (-4.0, 1.5)),
            "momentum 0.9 (lr 0.02)": descend(valley, 0.02, steps, (-4.0, 1.5), momentum=0.9)}


def plot_momentum(paths: dict, path) -> object:
    xs, ys = np.meshgrid(np.linspace(-4.5, 4.5, 200), np.linspace(-2, 2, 200))
    figure, axis = plt.subplots(figsize=(9, 4.5))
    axis.contour(xs, ys, xs ** 2 + 10 * ys ** 2, levels=np.geomspace(0.05, 60, 14), cmap="Greys", linewidths=0.8)
    for (label, points), colour in zip(paths.items(), ("tab:red", "tab:blue")):
        axis.plot(points[:, 0], points[:, 1], "o-", ms=3, lw=1.2, color=colour, label=label)
    axis.plot(0, 0, "k*", ms=12, label="minimum")
    steps = len(next(iter(paths.values()))) - 1
    axis.set_title(f"f(x, y) = x² + 10y²: {steps} steps of gradient descent, without and with momentum")
    axis.set_xlabel("x")
    axis.set_ylabel("y")
    axis.set_aspect("equal")
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.15), ncol=3, fontsize=8, frameon=False)
    return _save(figure, path)


def sgd_vs_momentum(config: Config, section: Section) -> None:
    section.headers = ["method", "steps", "point", "f"]
    paths = momentum_paths()
    for label, points in paths.items():
        section.rows.append([label, len(points) - 1, f"({points[-1, 0]:.4f}, {points[-1, 1]:.4f})",
                             f"{valley(points[-1]):.2e}"])
    section.pictures.append(plot_momentum(paths, config.folder("lectures") / "momentum.png"))

# --------------------------------------------------------------------------- schedules


def schedules(config: Config, section: Section) -> None:
    """Constant, step and cosine learning rates for a small MLP on Digits."""
    epochs = max(config.iterations(30, minimum=6), 6)
    train, test = Digits(train=True), Digits(train=False)
    section.headers = ["schedule", "epochs", "final lr", "train loss", "test acc"]
    curves = {}
    step = max(epochs // 3, 1)
    for name in ("constant", f"step (×0.1 every {step} epochs)", "cosine"):
        manual_seed(0)
        model = nn.Sequential(nn.Flatten(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10))
        optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        scheduler = {"constant": None,
                     "cosine": optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)}.get(
            name, optim.lr_scheduler.StepLR(optimizer, step_size=step, gamma=0.1))
        history = fit(model, train, optimizer, epochs=epochs, batch_size=64, scheduler=scheduler, progress=False)
        curves[name] = history
        section.rows.append([name, epochs, f"{optimizer.param_groups[0]['lr']:.2g}", history["loss"][-1],
                             evaluate(model, test)["accuracy"]])
    figure, (lr_axis, loss_axis) = plt.subplots(1, 2, figsize=(10, 3.8))
    for name, history in curves.items():
        lr_axis.plot(history["epoch"], history["lr"], "o-", ms=3, label=name)
        loss_axis.plot(history["epoch"], history["loss"], "o-", ms=3, label=name)
    lr_axis.set_title("learning rate used in each epoch")
    loss_axis.set_title("training loss")
    loss_axis.set_yscale("log")
    for axis in (lr_axis, loss_axis):
        axis.set_xlabel("epoch")
        axis.grid(alpha=0.3)
    handles, labels = lr_axis.get_legend_handles_labels()
    figure.legend(handles, labels, loc="lower center", ncol=3, frameon=False)
    figure.suptitle("Step and cosine decay: a 64-32-10 MLP on Digits, SGD momentum 0.9 from lr 0.1")
    figure.tight_layout(rect=(0, 0.08, 1, 1))
    section.pictures.append(_save(figure, config.folder("lectures") / "schedules.png"))

# --------------------------------------------------------------------------- the 20-line net


def train_two_layer(steps: int = 500, lr: float = 1e-4, seed: int = 0, echo=None) -> tuple:
    """The lecture's random-data net (N=64, Din=1000, H=100, Dout=10), squared error, by backward()."""
    rng = np.random.default_rng(seed)
    x, y = tensor(rng.normal(size=(64, 1000))), tensor(rng.normal(size=(64, 10)))
    w1 = tensor(rng.normal(size=(1000, 100)) * 0.01, requires_grad=True)
    w2 = tensor(rng.normal(size=(100, 10)) * 0.1, requires_grad=True)
    losses = []
    for step in range(steps):
        loss = ((x @ w1).relu() @ w2 - y).pow(2).sum()
        w1.grad = w2.grad = None
        loss.backward()
        with no_grad():
            w1 -= lr * w1.grad
            w2 -= lr * w2.grad
        losses.append(loss.item())
        if echo and (step % 100 == 0 or step == steps - 1):
            echo(f"step {step:3d}  loss {loss.item():.4f}")
    return w1.numpy(), w2.numpy(), losses


def train_two_layer_by_hand(steps: int = 500, lr: float = 1e-4, seed: int = 0) -> tuple:
    """The lecture's NumPy version: the same numbers with the chain rule written out."""
    rng = np.random.default_rng(seed)
    x, y = rng.normal(size=(64, 1000)), rng.normal(size=(64, 10))
    w1, w2 = rng.normal(size=(1000, 100)) * 0.01, rng.normal(size=(100, 10)) * 0.1
    for _ in range(steps):
        h = np.maximum(x @ w1, 0)
        grad_pred = 2 * (h @ w2 - y)
        grad_w2 = h.T @ grad_pred
        grad_w1 = x.T @ ((grad_pred @ w2.T) * (h > 0))
        w1, w2 = w1 - lr * grad_w1, w2 - lr * grad_w2
    return w1, w2


def two_layer_net(config: Config, section: Section) -> None:
    steps = config.iterations(500, minimum=50)
    w1, w2, losses_seen = train_two_layer(steps)
    by_hand = train_two_layer_by_hand(steps)
    difference = max(np.abs(w1 - by_hand[0]).max(), np.abs(w2 - by_hand[1]).max())
    section.headers = ["steps", "first loss", "last loss", "largest weight difference from hand-written NumPy"]
    section.rows.append([steps, f"{losses_seen[0]:.1f}", f"{losses_seen[-1]:.2e}", f"{difference:.2e}"])

# --------------------------------------------------------------------------- AND neuron, logistic regression


def and_neuron() -> list[list]:
    """g(−30 + 20·x1 + 20·x2) on the four inputs: the lecture's neuron computing x1 AND x2."""
    inputs = tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], dtype=np.float64)
    outputs = (-30 + inputs @ tensor([20.0, 20.0], dtype=np.float64)).sigmoid().numpy()
    return [[int(a), int(b), f"{o:.2e}", int(o > 0.5), int(a) & int(b)] for (a, b), o in zip(inputs.numpy(), outputs)]


def and_table(config: Config, section: Section) -> None:
    section.headers = ["x1", "x2", "g(−30 + 20x1 + 20x2)", "rounded", "x1 AND x2"]
    section.rows = and_neuron()


def logistic_loss(w, b, x, y, lam: float):
    """J = −(1/n) Σ [y log h + (1−y) log(1−h)] + λ/(2n) ‖w‖², h = σ(x w + b); the bias is not penalised."""
    n = len(y)
    logits = x @ w + b
    log_loss = F.binary_cross_entropy_with_logits(logits, y)
    return log_loss + lam / (2 * n) * (w * w).sum()


def logistic_regression(config: Config, section: Section, classes=(3, 8)) -> None:
    """Digits 3 vs 8, full-batch gradient descent for each λ; the gradient checked against the
    lecture's formula (1/n) Xᵀ(h − y) + (λ/n) w."""
    def pick(train):
        data = Digits(train=train)
        keep = np.isin(data.targets, classes)
        return data.get_batch(np.flatnonzero(keep))[0].reshape(-1, 64).astype(np.float64), \
            (data.targets[keep] == classes[1]).astype(np.float64)

    (x_train, y_train), (x_test, y_test) = pick(True), pick(False)
    steps = config.iterations(300, minimum=60)
    section.headers = ["λ", "steps", "log loss + penalty", "‖w‖", "train acc", "test acc",
                       "gradient vs formula (max diff)"]
    for lam in (0.0, 1.0, 10.0, 100.0):
        w = tensor(np.zeros(64), requires_grad=True)
        b = tensor(0.0, dtype=np.float64, requires_grad=True)
        x, y = tensor(x_train), tensor(y_train)
        optimizer = optim.SGD([w, b], lr=0.5)
        check = None
        for step in range(steps):
            loss = logistic_loss(w, b, x, y, lam)
            optimizer.zero_grad()
            loss.backward()
            if step == 5:
                h = 1 / (1 + np.exp(-(x_train @ w.numpy() + b.item())))
                formula = x_train.T @ (h - y_train) / len(y_train) + lam / len(y_train) * w.numpy()
                check = np.abs(formula - w.grad.numpy()).max()
            optimizer.step()
        weights, bias = w.numpy(), b.item()
        train_acc, test_acc = (float((((xs @ weights + bias) > 0) == (ys > 0.5)).mean())
                               for xs, ys in ((x_train, y_train), (x_test, y_test)))
        section.rows.append([lam, steps, loss.item(), float(np.linalg.norm(weights)), train_acc, test_acc,
                             f"{check:.1e}"])
    section.notes.append(f"Digits {classes[0]} (y = 0) vs {classes[1]} (y = 1), 64 pixel features, gradient descent "
                         "with lr 0.5; larger λ shrinks ‖w‖.")


def experiments(config: Config) -> list:
    return [("cross-entropy vs multiclass SVM loss", "lecture: loss functions, cat/car/frog", loss_comparison),
            ("gradient descent at four learning rates", "lecture: f(x, y) = (x+2y−7)² + (2x+y−5)²", booth_descent),
            ("SGD vs momentum in a narrow valley", "lecture: optimization, momentum", sgd_vs_momentum),
            ("step and cosine learning-rate decay", "lecture: learning-rate schedules", schedules),
            ("two-layer net in 20 lines vs hand-written NumPy", "lecture: N=64, Din=1000, H=100, Dout=10",
             two_layer_net),
            ("the AND neuron", "lecture: g(−30 + 20x1 + 20x2)", and_table),
            ("logistic regression, log loss and λ/2n L2 penalty", "lecture: regularized logistic regression",
             logistic_regression)]
