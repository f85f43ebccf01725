"""PyTorch reference for one training step of the four paper models, written for scripts/torch-agreement.sh.

For each model x head it runs forward, the author's Keras loss, backward and one Keras Adam step in float32 on the
CPU and writes src/test/resources/agreement/<model>-<head>.json, which TorchAgreementTest compares with the java and
java-parallel engines. Nothing here is read from the Java side: the models, the loss and Adam are written out below,
and the batch, the initial weights and the dropout masks come from one generator both sides implement.

  models (relutornado.model.ModelSpec; layer i is named kind + i as in Network, tensors W then b):
    wdbc-ffnn    30 -> [Dense, ReLU, Dropout 0.1] x (128, 64, 32) -> Dense 2
    mnist-ffnn   256 -> [Dense, ReLU, Dropout 0.1] x (512, 512, 512) -> Dense 10
    cnn-16       1x16x16 -> Conv 32 3x3 valid, ReLU -> Conv 32, ReLU -> MaxPool 2 -> Dropout 0.25
                 -> Conv 64, ReLU -> Conv 64, ReLU -> MaxPool 2 -> Dropout 0.25 -> Flatten -> Dense 256, ReLU
                 -> Dropout 0.5 -> Dense 10
    cnn-28       the same CNN on 1x28x28
  layouts: rows row-major, images NCHW; dense W (C, OC) (out = in . W + b, Keras' layout, PyTorch's transposed);
           conv W (OC, C, KH, KW) (PyTorch's layout).

  generator: u(seed, step, layer, index), relutornado.kernels.Dropout.uniform (murmur3's finaliser over the four
  counters, 24 bits, in [0, 1)); every draw below names its seed:
    weights  (Glorot uniform, Keras' default; biases 0):  (2 u(1, 0, t, i) - 1) sqrt(6 / (fanIn + fanOut)), t = the
             tensor's index in layout order; dense fans (C, OC), conv fans (C KH KW, OC KH KW)
    inputs   (2 u(2, 0, 0, r F + i) - 1) sqrt(3), except row 0, all zeros (with zero biases: a dead ReLU-head row)
    labels   floor(K u(3, 0, 0, r)), except that a row takes its largest output as its label when
             - exactly one output is positive (p[y] = 1 meets the upper clip of the ReLU head; WDBC's batch has one), or
             - its label's output o_y is in (0, 0.1): the ReLU head's gradient has a 1/f_y term, float32 rounding of a
               small f_y moves it by ~1e-7/f_y^2, and Adam's first step (about lr g / (|g| + 3e-7)) turns that noise
               into parameter changes of more than 1e-4 wherever a gradient is near zero (seen at o_y = 0.019)
    dropout  the kernel's own masks: seed 4, step 1, layer = the dropout layer's index, index = r E + e;
             kept when u >= rate, scaled by 1 / (1 - rate) (float32)
    signs    of the projections below: +1 when u(5, k, t, i) >= 0.5, else -1

  heads, Keras 2.1 categorical_crossentropy (p normalised to sum 1, clipped to [1e-7, 1 - 1e-7], -log p[y], mean over
  the batch; no gradient through a clipped p):
    softmax  p = softmax(o)                 (PyTorch's CrossEntropyLoss has no clip)
    relu     p = f / sum f, f = max(0, o)   (a row with every f = 0 has no p in Keras, a NaN; the Java kernels take
                                             p[y] = 1e-7 there, loss -log 1e-7 and no gradient, and so does this)
  Adam, Keras' form: lrT = lr sqrt(1 - b2^t) / (1 - b1^t); theta -= lrT m / (sqrt(v) + eps) (eps outside the sqrt of
  the uncorrected v; torch.optim.Adam adds eps to sqrt(v / (1 - b2^t)) instead, and the script reports how far
  apart the two land after this step).

  A fixture holds the labels, the batch loss and every row's loss, and per parameter tensor: 16 sampled entries
  (first, last, 14 drawn) of the gradient and of the parameters after the step, and 4 random-sign projections
  sum_i s_i g_i of the whole gradient and sum_i s_i (theta'_i - theta_i) of the whole update (float64 sums), so every
  parameter's gradient and update is checked while the files stay small (the models hold 1.1 M parameters).

  OMP_NUM_THREADS=1 python3 scripts/torch_agreement.py OUT_DIR
"""
import json
import math
import os
import sys

import numpy as np
import torch
import torch.nn.functional as F

ROWS = 8
LR, BETA1, BETA2, EPS_ADAM = 1e-3, 0.9, 0.999, 1e-8  # TrainConfig's defaults (the paper's)
CLIP = 1e-7  # Keras' K.epsilon()
SEED_WEIGHTS, SEED_INPUTS, SEED_LABELS, SEED_DROPOUT, SEED_SIGNS, SEED_SAMPLES = 1, 2, 3, 4, 5, 6
DROPOUT_STEP = 1
SAMPLES, PROJECTIONS = 16, 4
SMALL_OUTPUT = 0.1  # see labels above

M32 = 0xFFFFFFFF


def _mix(h):
    h = h ^ (h >> np.uint32(16))
    h = h * np.uint32(0x85EBCA6B)
    h = h ^ (h >> np.uint32(13))
    h = h * np.uint32(0xC2B2AE35)
    return h ^ (h >> np.uint32(16))


def uniform(seed, step, layer, count):
    """Dropout.uniform(seed, step, layer, i) for i in 0..count-1, float32 (int arithmetic mod 2^32)."""
    with np.errstate(over="ignore"):
        h = np.array([(seed * 0x9E3779B1) & M32], dtype=np.uint32)
        h = _mix(h ^ np.uint32(step & M32))
        h = _mix(h ^ np.uint32((layer * 0x85EBCA77) & M32))
        h = _mix(h ^ np.arange(count, dtype=np.uint32))
    return ((h >> np.uint32(8)) & np.uint32(0xFFFFFF)).astype(np.float32) * np.float32(2.0 ** -24)


def ffnn(inputs, hidden, classes):
    layers = []
    for h in hidden:
        layers += [("dense", h), ("relu",), ("dropout", 0.1)]
    return (inputs,), layers + [("dense", classes)], classes


def cnn(side, classes=10):
    block = lambda f: [("conv", f), ("relu",), ("conv", f), ("relu",), ("pool",), ("dropout", 0.25)]
    return (1, side, side), block(32) + block(64) + [("flatten",), ("dense", 256), ("relu",), ("dropout", 0.5),
                                                    ("dense", classes)], classes


MODELS = {"wdbc-ffnn": ffnn(30, (128, 64, 32), 2), "mnist-ffnn": ffnn(256, (512, 512, 512), 10),
          "cnn-16": cnn(16), "cnn-28": cnn(28)}


def shape_after(layer, shape):
    kind = layer[0]
    if kind == "dense":
        return (layer[1],)
    if kind == "conv":
        return (layer[1], shape[1] - 2, shape[2] - 2)
    if kind == "pool":
        return (shape[0], shape[1] // 2, shape[2] // 2)
    if kind == "flatten":
        return (math.prod(shape),)
    return shape


def parameters(input_shape, layers):
    """[(name, tensor shape, fanIn, fanOut, is bias)] in layout order (Network's names)."""
    out, shape = [], input_shape
    for i, layer in enumerate(layers):
        name = layer[0] + str(i)
        if layer[0] == "dense":
            c = math.prod(shape)
            out += [(name + ".W", (c, layer[1]), c, layer[1], False), (name + ".b", (layer[1],), 1, layer[1], True)]
        elif layer[0] == "conv":
            c, oc = shape[0], layer[1]
            out += [(name + ".W", (oc, c, 3, 3), c * 9, oc * 9, False), (name + ".b", (oc,), 1, oc, True)]
        shape = shape_after(layer, shape)
    return out


def initial_weights(specs):
    weights = []
    for t, (_, shape, fan_in, fan_out, bias) in enumerate(specs):
        n = math.prod(shape)
        if bias:
            w = np.zeros(n, dtype=np.float32)
        else:
            limit = math.sqrt(6.0 / (fan_in + fan_out))
            w = ((2.0 * uniform(SEED_WEIGHTS, 0, t, n).astype(np.float64) - 1.0) * limit).astype(np.float32)
        weights.append(torch.tensor(w.reshape(shape), requires_grad=True))
    return weights


def batch(input_shape, classes):
    f = math.prod(input_shape)
    x = ((2.0 * uniform(SEED_INPUTS, 0, 0, ROWS * f).astype(np.float64) - 1.0) * math.sqrt(3.0)).astype(np.float32)
    x = x.reshape(ROWS, f)
    x[0] = 0.0
    labels = np.floor(classes * uniform(SEED_LABELS, 0, 0, ROWS).astype(np.float64)).astype(np.int64)
    return torch.tensor(x.reshape((ROWS,) + input_shape)), torch.tensor(labels)


def forward(layers, weights, x):
    t, h, shape = 0, x, tuple(x.shape[1:])
    for i, layer in enumerate(layers):
        kind = layer[0]
        if kind == "dense":
            h = h.reshape(h.shape[0], -1) @ weights[t] + weights[t + 1]
            t += 2
        elif kind == "conv":
            h = F.conv2d(h, weights[t], weights[t + 1])
            t += 2
        elif kind == "relu":
            h = torch.relu(h)
        elif kind == "pool":
            h = F.max_pool2d(h, 2)
        elif kind == "flatten":
            h = h.reshape(h.shape[0], -1)
        elif kind == "dropout":
            rate = np.float32(layer[1])
            u = uniform(SEED_DROPOUT, DROPOUT_STEP, i, h.numel())
            keep = np.float32(1.0) / (np.float32(1.0) - rate)
            mask = np.where(u >= rate, keep, np.float32(0.0)).astype(np.float32)
            h = h * torch.tensor(mask.reshape(h.shape))
        shape = shape_after(layer, shape)
    return h


def keras_loss(head, logits, labels):
    """Per-row Keras categorical cross-entropy of the head's output, and the rows' (dead, clipped low, high) flags."""
    y = labels.unsqueeze(1)
    if head == "softmax":
        p = torch.softmax(logits, dim=1)
        py = (p / p.sum(dim=1, keepdim=True)).gather(1, y).squeeze(1)
        dead = torch.zeros_like(py, dtype=torch.bool)
    else:
        f = torch.relu(logits)
        s = f.sum(dim=1)
        dead = s <= 0
        py = f.gather(1, y).squeeze(1) / torch.where(dead, torch.ones_like(s), s)
        py = torch.where(dead, torch.full_like(py, CLIP), py)
    clipped = py.clamp(CLIP, 1.0 - CLIP)
    low = (py < np.float32(CLIP)) & ~dead
    high = py > np.float32(1.0 - CLIP)
    return -torch.log(clipped), dead, low, high


def keras_adam(weights, grads):
    """One Adam step from zero moments, as Keras 2.1 (and the Adam kernel): float32, lrT computed in double."""
    t = 1
    lr_t = np.float32(LR * math.sqrt(1 - BETA2 ** t) / (1 - BETA1 ** t))
    b1, b2, eps = np.float32(BETA1), np.float32(BETA2), np.float32(EPS_ADAM)
    out = []
    for w, g in zip(weights, grads):
        g = g.numpy()
        m = b1 * np.float32(0.0) + (np.float32(1.0) - b1) * g
        v = b2 * np.float32(0.0) + (np.float32(1.0) - b2) * g * g
        out.append((w.detach().numpy() - lr_t * m / (np.sqrt(v) + eps)).astype(np.float32))
    return out


def torch_optim_adam(weights, grads):
    """The same step with torch.optim.Adam, to report how far PyTorch's epsilon placement lands from Keras'."""
    params = [w.detach().clone().requires_grad_(True) for w in weights]
    for p, g in zip(params, grads):
        p.grad = g.clone()
    torch.optim.Adam(params, lr=LR, betas=(BETA1, BETA2), eps=EPS_ADAM).step()
    return [p.detach().numpy() for p in params]


def signs(t, k, n):
    return np.where(uniform(SEED_SIGNS, k, t, n) >= np.float32(0.5), 1.0, -1.0)


def case(model, head):
    input_shape, layers, classes = MODELS[model]
    specs = parameters(input_shape, layers)
    weights = initial_weights(specs)
    x, labels = batch(input_shape, classes)
    logits = forward(layers, weights, x)
    live_y = logits.detach().gather(1, labels.unsqueeze(1)).squeeze(1)
    relabel = ((logits > 0).sum(dim=1) == 1) | ((live_y > 0) & (live_y < SMALL_OUTPUT))
    labels = torch.where(relabel, logits.argmax(dim=1), labels)
    rows, dead, low, high = keras_loss(head, logits, labels)
    loss = rows.mean()
    grads = torch.autograd.grad(loss, weights)
    after = keras_adam(weights, grads)
    optim = torch_optim_adam(weights, grads)
    optim_diff = max(float(np.max(np.abs(a - o) / np.maximum(1.0, np.abs(a)))) for a, o in zip(after, optim))
    tensors = []
    for t, ((name, shape, _, _, _), w, g, a) in enumerate(zip(specs, weights, grads, after)):
        g, w, a = g.numpy().ravel(), w.detach().numpy().ravel(), a.ravel()
        n = g.size
        drawn = np.floor(n * uniform(SEED_SAMPLES, 0, t, SAMPLES - 2).astype(np.float64)).astype(np.int64)
        idx = [0, n - 1] + [int(i) for i in drawn]
        update = a.astype(np.float64) - w.astype(np.float64)
        tensors.append({
            "name": name, "size": n, "samples": idx,
            "grad": [float(g[i]) for i in idx], "after": [float(a[i]) for i in idx],
            "gradProjections": [float(np.dot(signs(t, k, n), g.astype(np.float64))) for k in range(PROJECTIONS)],
            "updateProjections": [float(np.dot(signs(t, k, n), update)) for k in range(PROJECTIONS)]})
    return {
        "model": model, "head": head, "inputShape": list(input_shape), "classes": classes, "rows": ROWS,
        "labels": labels.tolist(), "lr": LR, "beta1": BETA1, "beta2": BETA2, "epsilon": EPS_ADAM,
        "loss": float(loss), "rowLoss": [float(r) for r in rows.detach()],
        "deadRows": int(dead.sum()), "clippedLowRows": int(low.sum()), "clippedHighRows": int(high.sum()),
        "torch": torch.__version__, "torchOptimAdamDifference": optim_diff, "tensors": tensors}


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: torch_agreement.py OUT_DIR")
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.set_num_threads(1)
    for model in MODELS:
        for head in ("softmax", "relu"):
            c = case(model, head)
            path = os.path.join(out, f"{model}-{head}.json")
            with open(path + ".tmp", "w") as f:
                json.dump(c, f, separators=(",", ":"))
                f.write("\n")
            os.replace(path + ".tmp", path)
            print(f"torch {model} {head}: loss {c['loss']:.6f}, rows dead {c['deadRows']}, p[y] clipped low "
                  f"{c['clippedLowRows']} high {c['clippedHighRows']}; torch.optim.Adam lands "
                  f"{c['torchOptimAdamDifference']:.2e} from Keras' Adam")


if __name__ == "__main__":
    main()
