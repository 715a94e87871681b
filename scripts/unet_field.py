#!/usr/bin/python3
"""The receptive field of U-Net's output, measured by gradients (Debian's python3-torch).

    /usr/bin/python3 scripts/unet_field.py

Builds the network of Ronneberger et al. 2015, Figure 1, with one channel per layer
(the field does not depend on the widths): valid 3x3 convolutions with weights 1/9,
2x2 average pools in place of the max pools (the same window, but gradient reaches
every tap), 2x2 stride-2 transposed convolutions with weights 1, centre crops and
concatenations (summed, which keeps the support).  For every output row near the
centre it prints the first and last input row with a nonzero gradient, the unit's
own field size and where it starts relative to the unit; then the envelope over all
units, which is what archdefs/unet_test.go expects of the engine (size 215, start -15).
Runs in a few seconds in float64.
"""

import torch
import torch.nn.functional as F


def double(x):
    w = torch.ones(1, 1, 3, 3, dtype=x.dtype) / 9
    return F.conv2d(F.conv2d(x, w), w)


def up(x):
    return F.conv_transpose2d(x, torch.ones(1, 1, 2, 2, dtype=x.dtype), stride=2)


def crop(x, n):
    o = (x.shape[-1] - n) // 2
    return x[..., o:o + n, o:o + n]


def unet(x):
    levels = [double(x)]
    for _ in range(4):
        levels.append(double(F.avg_pool2d(levels[-1], 2)))
    y = levels.pop()
    while levels:
        y = up(y)
        skip = crop(levels.pop(), y.shape[-1])
        y = double(torch.cat([skip, y], 1).sum(1, keepdim=True))
    return y


def main():
    x = torch.ones(1, 1, 572, 572, dtype=torch.float64, requires_grad=True)
    y = unet(x)
    assert tuple(y.shape[-2:]) == (388, 388), y.shape
    lo, hi = None, None
    col = y.shape[-1] // 2
    for o in range(160, 224):  # four periods of the deepest level's 16-pixel phase
        (g,) = torch.autograd.grad(y[0, 0, o, col], x, retain_graph=True)
        rows = torch.nonzero(g[0, 0].abs().sum(1) > 0).flatten()
        first, last = int(rows[0]), int(rows[-1])
        print(f"unit {o}: input rows {first}..{last}, size {last - first + 1}, start {first - o}")
        lo = first - o if lo is None else min(lo, first - o)
        hi = last - o if hi is None else max(hi, last - o)
    print(f"envelope: size {hi - lo + 1}, jump 1, start {lo}")


if __name__ == "__main__":
    main()
