#!/usr/bin/python3
"""Independent PyTorch/torchvision reference numbers for ConvAtlas tests.

Regenerate (from the repository root) with Debian's python3-torch 1.13.1 and
python3-torchvision 0.14.1 -- use /usr/bin/python3, not a pyenv python:

    /usr/bin/python3 scripts/torchref.py -o archdefs/testdata/torchvision.json

Without -o the JSON goes to stdout.  Progress, timings and sanity checks go to
stderr (about 3-4 minutes on 2 cores).  Other flags: --only ID[,ID...]
(subset, for debugging; do not commit a subset), --no-crosscheck (skip the
receptive-field cross-checks, which only print to stderr), --thorough (add
the slow inception_v3 cross-checks).  The flags never change the JSON.
No network access is needed: every model is built with weights=None, so no
pretrained weights are ever downloaded.  Output is deterministic (integers
only, sorted keys, indent=1), so regenerating gives a byte-identical file.

Conventions (also written into the JSON's "_meta"):

* params  = sum(p.numel() for p in model.parameters()).
* buffers = numel of BatchNorm running_mean + running_var only
  (num_batches_tracked excluded).
* macs    = multiply-adds of one forward pass, batch 1, eval mode, counted by
  forward hooks on nn.Conv2d (Cout*H'*W'*(Cin/groups)*kh*kw, bias not counted)
  and nn.Linear (in*out per row), nothing else (no BN, pooling, activations,
  additions, concatenations, transform_input).
* layers_depth = number of distinct nn.Conv2d / nn.Linear modules that run in
  that eval forward pass (informational).
* stages  = output shape [c, h, w] of selected stage-like modules, in the order
  their forward hooks fire; a 2-D (Linear) output [n, f] is written [f, 1, 1].
* rf      = receptive field of the last spatial feature map, measured by
  gradients, not by formula (see rf_model / measure_rf / rf_axis): on a copy
  with conv/linear weights 1/fan_in, biases 0, BN identity, max pools turned
  into average pools with the same window, ReLU6 -> ReLU, and an all-ones
  input, backprop from all channels at one spatial position near the centre:
  size = extent of the input region with gradient > 0, jump = shift of that
  region between neighbouring units, start = first input row/col of unit 0's
  field (= first nonzero row of unit i - i*jump; negative because of padding).
  Lists are [h, w].  Measured in float32 with the gradient re-normalised to
  0/1 at every module (see the comment above rf_model for why), rows on a
  tall narrow input and columns on a wide short one; cross-checks against
  square inputs and against plain float64 gradients print to stderr.
* inception_v3 is built with aux_logits=True, init_weights=False (and the
  builder's default transform_input=False when weights=None; transform_input is
  a per-channel affine rescale of the input, not a layer, and is never counted).
  "params"/"buffers" include the AuxLogits head; "params_without_aux" /
  "buffers_without_aux" exclude it; "macs"/"layers_depth" are the eval-mode
  inference path, where AuxLogits does not run; "aux" describes the AuxLogits
  head alone (its MACs measured by running it on Mixed_6e's output shape).
* The networks after 2018 (efficientnet_b0, mobilenet_v3_*, mnasnet1_0,
  regnet_*_400mf, convnext_tiny): an nn.Linear applied at every position of a
  channels-last map (ConvNeXt) counts rows*in*out MACs; for the receptive
  field, every squeeze-and-excitation gate (torchvision.ops.SqueezeExcitation)
  is detached -- its scale still multiplies the map but passes no gradient --
  because the gate pools the whole map: the field measured is the window each
  unit sees, the gate adding a global summary that the engine marks "global";
  and every LayerNorm (ConvNeXt's, channels-last) becomes the identity, as BN
  does: it mixes channels at one position only, and with the constant input
  its gradient summed over channels is exactly zero.
"""

import argparse
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

MODELS = [
    "vgg11", "vgg13", "vgg16", "vgg19",
    "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "wide_resnet50_2", "resnext50_32x4d", "resnext101_32x8d",
    "densenet121", "densenet161", "densenet169", "densenet201",
    "mobilenet_v2", "shufflenet_v2_x1_0", "squeezenet1_0", "squeezenet1_1",
    "inception_v3",
    "efficientnet_b0", "mobilenet_v3_large", "mobilenet_v3_small", "mnasnet1_0",
    "regnet_x_400mf", "regnet_y_400mf", "convnext_tiny",
]

RESNETS = {"resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
           "wide_resnet50_2", "resnext50_32x4d", "resnext101_32x8d"}

META_DESCRIPTION = (
    "Reference numbers computed with PyTorch/torchvision (models built with weights=None). "
    "params = sum of numel of model.parameters(); buffers = numel of BatchNorm running_mean and "
    "running_var only (num_batches_tracked excluded); macs = multiply-adds of one batch-1 forward "
    "pass in eval mode counted by forward hooks on nn.Conv2d (Cout*H'*W'*(Cin/groups)*kh*kw, no bias "
    "term) and nn.Linear (in*out), nothing else; layers_depth = number of distinct Conv2d/Linear "
    "modules run in that pass; stages = [c,h,w] output of selected stage-like modules in forward "
    "(hook-firing) order, a Linear's 2-D output [n,f] written [f,1,1]; rf = receptive field of the "
    "last spatial feature map measured by gradients on a copy (conv/linear weights 1/fan_in, "
    "biases 0, BN identity, every max pool -- nn.MaxPool2d modules and functional F.max_pool2d calls -- "
    "replaced by an average pool with the same kernel/stride/padding/ceil_mode and "
    "count_include_pad=True so gradient reaches the whole window, ReLU6 replaced by ReLU so clipping "
    "cannot zero a gradient, all-ones input large enough that the field of the central unit does not "
    "touch the image border, backprop from the channel-sum at one spatial position), size = extent of "
    "input positions with gradient > 0, jump = shift of that region between neighbouring units, start "
    "= first nonzero row/col of unit i minus i*jump (where unit 0's field begins, in input pixels; "
    "negative because of padding); lists are [h, w]. Computed in float32 with the gradient reset to "
    "(gradient > 0) at the output of every module, which keeps the support exact while avoiding "
    "underflow (the centre/edge gradient ratio reaches ~1e110 in densenet121); rows are measured on a "
    "tall narrow input and columns on a wide short one (valid because every op has a rectangular "
    "window); the script cross-checks both shortcuts against square inputs and against plain float64 "
    "gradients for several models. inception_v3: aux_logits=True, init_weights=False, transform_input=False "
    "(the weights=None default; it is an input rescale, not a layer); params/buffers include "
    "AuxLogits, *_without_aux exclude it, macs/layers_depth are the eval inference path where "
    "AuxLogits does not run, and 'aux' describes the AuxLogits head alone. "
    "Networks after 2018: an nn.Linear applied at every position of a channels-last map (ConvNeXt) counts "
    "rows*in*out MACs; for rf, every torchvision.ops.SqueezeExcitation gate is detached (its scale multiplies "
    "the map but passes no gradient: the field is the window each unit sees, the gate adds a global summary) "
    "and every LayerNorm is the identity (it mixes channels at one position only)."
)


def log(*a):
    print(*a, file=sys.stderr, flush=True)


def build(name):
    kw = {"weights": None}
    if name == "inception_v3":
        kw.update(aux_logits=True, init_weights=False)
    return getattr(torchvision.models, name)(**kw)


def input_shape(name):
    return [3, 299, 299] if name == "inception_v3" else [3, 224, 224]


def stage_names(name, model):
    """Module names whose outputs form the 'stages' list (order comes from the hooks)."""
    if name.startswith("vgg"):
        return [f"features.{n}" for n, m in model.features.named_children()
                if isinstance(m, nn.MaxPool2d)] + ["classifier.6"]
    if name in RESNETS:
        return ["maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"]
    if name.startswith("densenet"):
        return [f"features.{n}" for n, _ in model.features.named_children()
                if n.startswith("denseblock") or n.startswith("transition")] + ["features.norm5"]
    if name == "mobilenet_v2":
        return [f"features.{n}" for n, _ in model.features.named_children()]
    if name.startswith("shufflenet"):
        return ["maxpool", "stage2", "stage3", "stage4", "conv5", "fc"]
    if name.startswith("squeezenet"):
        return [f"features.{n}" for n, _ in model.features.named_children()] + ["classifier"]
    if name == "inception_v3":
        return [n for n, _ in model.named_children() if n not in ("AuxLogits", "dropout")]
    if name.startswith("efficientnet") or name.startswith("mobilenet_v3") or name.startswith("convnext"):
        return [f"features.{n}" for n, _ in model.features.named_children()] + ["classifier"]
    if name.startswith("mnasnet"):
        return ["layers.7"] + [f"layers.{n}" for n in range(8, 14)] + ["layers.16", "classifier"]
    if name.startswith("regnet"):
        return ["stem"] + [f"trunk_output.{n}" for n, _ in model.trunk_output.named_children()] + ["fc"]
    raise KeyError(name)


def rf_target(name):
    if name.startswith("vgg") or name.startswith("squeezenet"):
        return "features"
    if name in RESNETS:
        return "layer4"
    if name.startswith("densenet"):
        return "features.norm5"
    if name == "mobilenet_v2":
        return "features.18"
    if name.startswith("shufflenet"):
        return "conv5"
    if name == "inception_v3":
        return "Mixed_7c"
    if name.startswith("efficientnet") or name.startswith("convnext"):
        return {"efficientnet_b0": "features.8", "convnext_tiny": "features.7"}[name]
    if name.startswith("mobilenet_v3"):
        return {"mobilenet_v3_large": "features.16", "mobilenet_v3_small": "features.12"}[name]
    if name.startswith("mnasnet"):
        return "layers.16"
    if name.startswith("regnet"):
        return "trunk_output.block4"
    raise KeyError(name)


def shape3(t):
    s = list(t.shape[1:])
    if len(s) == 1:
        return [s[0], 1, 1]
    assert len(s) == 3, s
    return [int(v) for v in s]


def bn_buffers(modules):
    n = 0
    for m in modules:
        if isinstance(m, nn.modules.batchnorm._BatchNorm):
            n += m.running_mean.numel() + m.running_var.numel()
    return n


class MacCounter:
    """Forward hooks on Conv2d/Linear accumulating multiply-adds."""

    def __init__(self, module):
        self.macs = 0
        self.fired = set()
        self.handles = []
        for m in module.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                self.handles.append(m.register_forward_hook(self.hook))

    def hook(self, m, inp, out):
        self.fired.add(id(m))
        if isinstance(m, nn.Conv2d):
            assert out.shape[0] == 1
            kh, kw = m.kernel_size
            self.macs += out.numel() * (m.in_channels // m.groups) * kh * kw
        else:
            # One row for a classifier; H*W rows for ConvNeXt's per-position Linear layers.
            rows = inp[0].numel() // m.in_features
            self.macs += rows * m.in_features * m.out_features

    def remove(self):
        for h in self.handles:
            h.remove()


def count(name, model):
    model.eval()
    c, h, w = input_shape(name)
    rec = {"input": [c, h, w]}
    rec["params"] = sum(p.numel() for p in model.parameters())
    rec["buffers"] = bn_buffers(model.modules())

    mods = dict(model.named_modules())
    order = []
    handles = []
    for sn in stage_names(name, model):
        def hook(m, i, o, sn=sn):
            order.append({"module": sn, "out": shape3(o)})
        handles.append(mods[sn].register_forward_hook(hook))
    aux_in = {}
    if name == "inception_v3":
        def aux_hook(m, i, o):
            aux_in["shape"] = tuple(o.shape)  # (a hook must return None)
        handles.append(model.Mixed_6e.register_forward_hook(aux_hook))
    counter = MacCounter(model)
    with torch.no_grad():
        model(torch.ones(1, c, h, w))
    counter.remove()
    for hd in handles:
        hd.remove()
    rec["macs"] = counter.macs
    rec["layers_depth"] = len(counter.fired)
    names = [s["module"] for s in order]
    assert len(names) == len(set(names)) and set(names) == set(stage_names(name, model)), names
    rec["stages"] = order

    if name == "inception_v3":
        aux = model.AuxLogits
        aux_ids = {id(m) for m in aux.modules()}
        assert not (aux_ids & counter.fired), "AuxLogits ran in eval mode?"
        aux_params = sum(p.numel() for p in aux.parameters())
        rec["params_without_aux"] = rec["params"] - aux_params
        rec["buffers_without_aux"] = rec["buffers"] - bn_buffers(aux.modules())
        ac = MacCounter(aux)
        with torch.no_grad():
            aux(torch.ones(*aux_in["shape"]))
        ac.remove()
        rec["aux"] = {"module": "AuxLogits", "input": list(aux_in["shape"][1:]),
                      "params": aux_params, "buffers": bn_buffers(aux.modules()),
                      "macs": ac.macs, "layers_depth": len(ac.fired)}
    return rec


# ---------------------------------------------------------------------------
# Receptive field by gradients.
#
# Why float32 + "binarised" gradients instead of plain float64 (the first plan):
# with averaging weights (1/fan_in) the input gradient of one unit is, up to a
# constant, the number of paths reaching each input pixel, and the ratio
# between the centre and the edge of the field is astronomical: ~1e110 for
# densenet121 (plain float32 underflows there and reports 1223 instead of
# 2071), more for the bigger DenseNets.  float64 holds it, but this
# python3-torch is linked against the reference BLAS, so float64 convolutions
# run ~50x slower than float32 (mkldnn) and the full float64 run takes far too
# long.  So the measurement runs in float32 and a tensor hook on the output of
# every leaf module replaces the incoming gradient g by (g > 0): every
# operation here (conv/linear with positive weights, BN = positive scale,
# ReLU on positive inputs, average pooling, additions, concatenations, channel
# shuffles) maps a non-negative gradient to one whose support depends only on
# the support of g, so re-normalising to 0/1 at each module changes no
# support but keeps all values within a few orders of magnitude of 1.  The
# literal method (float64, no re-normalisation) is rerun as a cross-check on
# several models, including densenet121, and must agree exactly.


class _Stop(Exception):
    pass


def _avg_instead_of_max(input, kernel_size, stride=None, padding=0, dilation=1,
                        ceil_mode=False, return_indices=False):
    # Functional max pools (InceptionB/D = Mixed_6a/Mixed_7a call F.max_pool2d
    # directly) get the same treatment as nn.MaxPool2d modules: an average pool
    # over the same window, so that gradient reaches every input of the window
    # instead of only the argmax.  Same output size, same connectivity.
    assert dilation in (1, (1, 1)) and not return_indices
    _avg_instead_of_max.calls += 1
    return F.avg_pool2d(input, kernel_size, stride, padding, ceil_mode, count_include_pad=True)


_avg_instead_of_max.calls = 0


def rf_model(name, dtype, model=None):
    """Eval model with positive averaging weights and max pools turned into avg pools.

    Converts `model` in place if given (its weights are all overwritten anyway),
    else builds a fresh one.
    """
    model = (model if model is not None else build(name)).to(dtype).eval()
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, nn.Conv2d):
                fan_in = (m.in_channels // m.groups) * m.kernel_size[0] * m.kernel_size[1]
                m.weight.fill_(1.0 / fan_in)
                if m.bias is not None:
                    m.bias.zero_()
            elif isinstance(m, nn.Linear):
                m.weight.fill_(1.0 / m.in_features)
                if m.bias is not None:
                    m.bias.zero_()
            elif isinstance(m, nn.modules.batchnorm._BatchNorm):
                m.weight.fill_(1.0)
                m.bias.zero_()
                m.running_mean.zero_()
                m.running_var.fill_(1.0)
    # Replace every nn.MaxPool2d by an nn.AvgPool2d with identical
    # kernel_size/stride/padding/ceil_mode and count_include_pad=True.  A max
    # pool only passes gradient to the argmax of each window (with a constant
    # input that would be an arbitrary single tap), which would shrink the
    # measured field; the average pool has exactly the same window geometry
    # and output size but passes a positive gradient to every tap.  ReLU6
    # (mobilenet_v2) becomes ReLU: with residual additions activations exceed 6
    # and a clipped ReLU6 would have zero gradient there; ReLU is the identity
    # on the strictly positive values that flow through this network.
    for parent in list(model.modules()):
        for cname, child in list(parent.named_children()):
            if isinstance(child, nn.MaxPool2d):
                assert child.dilation in (1, (1, 1)) and not child.return_indices
                setattr(parent, cname, nn.AvgPool2d(child.kernel_size, child.stride, child.padding,
                                                     ceil_mode=child.ceil_mode, count_include_pad=True))
            elif isinstance(child, nn.ReLU6):
                setattr(parent, cname, nn.ReLU(inplace=child.inplace))
            elif isinstance(child, nn.LayerNorm):
                # Mixes channels at one position only (a pointwise op for the field), and
                # with the constant input its channel-summed gradient is exactly zero.
                setattr(parent, cname, nn.Identity())
    # A squeeze-and-excitation gate pools the whole map; detached, its scale still
    # multiplies the map but passes no gradient, so the field measured is the window
    # each unit sees (the engine marks the gate's global summary apart).
    for m in model.modules():
        if isinstance(m, torchvision.ops.SqueezeExcitation):
            m.forward = (lambda se: lambda x: se._scale(x).detach() * x)(m)
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def _dtype(model):
    return next(model.parameters()).dtype


def _binarise(g):
    return (g > 0).to(g.dtype)


def _forward_to(model, target, x, binarise):
    """Run model on x until `target` has produced its output; return that output."""
    mods = dict(model.named_modules())
    box = {}
    handles = []

    def stop(m, i, o):
        box["out"] = o
        raise _Stop

    if binarise:
        def rehook(m, i, o):
            if isinstance(o, torch.Tensor) and o.requires_grad:
                o.register_hook(_binarise)
        for m in model.modules():
            if not list(m.children()):
                handles.append(m.register_forward_hook(rehook))
    handles.append(mods[target].register_forward_hook(stop))
    orig = F.max_pool2d
    F.max_pool2d = _avg_instead_of_max
    try:
        model(x)
    except _Stop:
        pass
    finally:
        F.max_pool2d = orig
        for h in handles:
            h.remove()
    return box["out"]


def _span(mask):
    idx = torch.nonzero(mask).flatten()
    if idx.numel() == 0:
        return None
    lo, hi = int(idx[0]), int(idx[-1])
    return lo, hi, idx.numel() == hi - lo + 1


def out_hw(model, target, H, W):
    with torch.no_grad():
        o = _forward_to(model, target, torch.ones(1, 3, H, W, dtype=_dtype(model)), False)
    return o.shape[2], o.shape[3]


def measure_rf(model, target, H, W, units, binarise):
    """Gradient support of the channel-sum at each (i, j) in `units` of `target`'s output.

    Returns [(rows, cols, min_pos, max)] with rows/cols = (first, last, contiguous)
    of the input region where d(unit)/d(input), summed over input channels, is > 0.
    """
    x = torch.ones(1, 3, H, W, dtype=_dtype(model), requires_grad=True)
    with torch.enable_grad():
        out = _forward_to(model, target, x, binarise)
    res = []
    for k, (i, j) in enumerate(units):
        # one spatial position, all channels: the field of the position is the
        # union over channels (inception's branches differ per channel)
        (g,) = torch.autograd.grad(out[0, :, i, j].sum(), x, retain_graph=k + 1 < len(units))
        g = g[0].sum(0)
        assert (g >= 0).all()
        nz = g > 0
        res.append((_span(nz.any(1)), _span(nz.any(0)), float(g[nz].min()), float(g.max())))
    return res


def min_side(model, target, need=2):
    """Smallest square input (multiple of 8, >= 32) giving a target map of at least need x need."""
    for s in range(32, 257, 8):
        try:
            Ho, Wo = out_hw(model, target, s, s)
        except RuntimeError:
            continue
        if Ho >= need and Wo >= need:
            return s
    raise RuntimeError("no small input works")


def rf_axis(model, target, axis, small, binarise, L=256, quiet=False):
    """Size/jump/start along one axis ('h' or 'w') measured on a long narrow input.

    The input is L long along `axis` (L doubles until the fields of the two
    measured units stay clear of both image borders) and `small` wide along the
    other axis.  Every op in these networks has a rectangular window, so in the
    all-positive network the set of input pixels reached from one unit is a
    union over branch choices of (rows x cols) products, and every window op
    keeps at least one in-bounds tap for every output it produces: the row
    extent does not depend on the width of the input.  (Cross-checked against
    square inputs in main().)
    """
    while True:
        H, W = (L, small) if axis == "h" else (small, L)
        t0 = time.time()
        Ho, Wo = out_hw(model, target, H, W)
        if axis == "h":
            i = Ho // 2 - 1
            units = [(i, Wo // 2), (i + 1, Wo // 2)]
        else:
            i = Wo // 2 - 1
            units = [(Ho // 2, i), (Ho // 2, i + 1)]
        res = measure_rf(model, target, H, W, units, binarise)
        spans = [r[0] if axis == "h" else r[1] for r in res]
        ok = all(s is not None and s[0] > 0 and s[1] < L - 1 for s in spans)
        if not quiet:
            log(f"    {axis}: input {H}x{W} {str(_dtype(model))[6:]}{' binarised' if binarise else ''} -> map {Ho}x{Wo}, "
                f"units {i},{i+1}: {spans[0][:2]} {spans[1][:2]}, "
                f"grad range [{min(r[2] for r in res):.3g}, {max(r[3] for r in res):.3g}], "
                f"{time.time()-t0:.1f}s{'' if ok else ' (touches border, doubling)'}")
        if ok:
            (a0, a1, c0), (b0, b1, c1) = spans
            size, jump = a1 - a0 + 1, b0 - a0
            assert b1 - b0 + 1 == size and b1 - a1 == jump, spans
            if not (c0 and c1):
                log(f"    NOTE: {axis} support has holes")
            return {"size": size, "jump": jump, "start": a0 - i * jump, "L": L}
        L *= 2
        assert L <= 32768, "receptive field too large"


def rf(name, model):
    model = rf_model(name, torch.float32, model)
    target = rf_target(name)
    small = min_side(model, target, need=1)
    h = rf_axis(model, target, "h", small, True)
    w = rf_axis(model, target, "w", small, True, L=h["L"])  # start where h ended
    return ({"module": target, "size": [h["size"], w["size"]], "jump": [h["jump"], w["jump"]],
             "start": [h["start"], w["start"]]}, max(h["L"], w["L"]), small)


def rf_square(name, S):
    """Cross-check: square S x S input, units (i, j) and (i+1, j+1) at the map centre."""
    model = rf_model(name, torch.float32)
    target = rf_target(name)
    Ho, Wo = out_hw(model, target, S, S)
    i, j = Ho // 2 - 1, Wo // 2 - 1
    (r0, c0, _, _), (r1, c1, _, _) = measure_rf(model, target, S, S, [(i, j), (i + 1, j + 1)], True)
    for s in (r0, c0, r1, c1):
        assert s[0] > 0 and s[1] < S - 1, f"square {S} too small for {name}"
    return {"module": target, "size": [r0[1] - r0[0] + 1, c0[1] - c0[0] + 1],
            "jump": [r1[0] - r0[0], c1[0] - c0[0]],
            "start": [r0[0] - i * (r1[0] - r0[0]), c0[0] - j * (c1[0] - c0[0])]}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("-o", "--output", help="write JSON here instead of stdout")
    ap.add_argument("--only", help="comma-separated subset of model ids (debugging)")
    ap.add_argument("--no-crosscheck", action="store_true", help="skip the RF cross-checks")
    ap.add_argument("--thorough", action="store_true",
                    help="also cross-check inception_v3 (square 2048x2048 input, float64); ~1.5 min more")
    args = ap.parse_args()

    torch.set_num_threads(2)
    torch.manual_seed(0)
    names = MODELS if not args.only else args.only.split(",")
    t_all = time.time()
    out = {"_meta": {
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
        "command": "/usr/bin/python3 scripts/torchref.py -o archdefs/testdata/torchvision.json",
        "description": META_DESCRIPTION,
    }}
    rf_info = {}
    for name in names:
        t0 = time.time()
        log(f"{name}:")
        model = build(name)
        rec = count(name, model)
        rec["rf"], L, small = rf(name, model)  # converts model in place
        del model
        rf_info[name] = (L, small)
        out[name] = rec
        r = rec["rf"]
        log(f"  params {rec['params']:,} buffers {rec['buffers']:,} macs {rec['macs']:,} "
            f"depth {rec['layers_depth']} rf {r['size']}/{r['jump']}/{r['start']} ({time.time()-t0:.1f}s)")

    if not args.no_crosscheck:
        log("cross-check 1: square inputs (float32, binarised) vs the long-narrow measurement:")
        for name in ["vgg16", "resnet18", "resnet50", "mobilenet_v2", "squeezenet1_0",
                     "shufflenet_v2_x1_0"] + (["inception_v3"] if args.thorough else []):
            if name not in out:
                continue
            t0 = time.time()
            S = rf_info[name][0]
            sq = rf_square(name, S)
            same = sq == out[name]["rf"]
            log(f"  {name} @ {S}x{S}: {sq['size']}/{sq['jump']}/{sq['start']} "
                f"{'== long-narrow' if same else '!= long-narrow ' + str(out[name]['rf'])} ({time.time()-t0:.1f}s)")
        log("cross-check 2: literal method (float64, no re-normalisation of gradients), rows only:")
        for name in ["resnet50", "mobilenet_v2", "densenet121"] + (
                ["inception_v3"] if args.thorough else []):
            if name not in out:
                continue
            t0 = time.time()
            model = rf_model(name, torch.float64)
            target = rf_target(name)
            size = out[name]["rf"]["size"][0]
            L = 256 * -(-(size * 13 // 10 + 64) // 256)  # just enough room; doubles if not
            r = rf_axis(model, target, "h", min_side(model, target, need=1), False, L=L)
            ref = out[name]["rf"]
            same = [r["size"], r["jump"], r["start"]] == [ref["size"][0], ref["jump"][0], ref["start"][0]]
            log(f"  {name}: {r['size']}/{r['jump']}/{r['start']} "
                f"{'== float32 binarised' if same else '!= float32 binarised'} ({time.time()-t0:.1f}s)")

    log("sanity checks:")
    expect = [
        ("resnet50", "params", 25557032), ("resnet50", "macs", 4089184256),
        ("vgg16", "params", 138357544), ("vgg16", "macs", 15470264320),
        ("resnet18", "params", 11689512),
    ]
    for name, key, want in expect:
        if name in out:
            got = out[name][key]
            log(f"  {name} {key}: {got:,} (expected {want:,}) {'OK' if got == want else 'MISMATCH'}")
    if "vgg16" in out:
        r = out["vgg16"]["rf"]
        ok = r["size"] == [212, 212] and r["jump"] == [32, 32] and r["start"] == [-90, -90]
        log(f"  vgg16 rf: {r['size']}/{r['jump']}/{r['start']} (expected 212/32/-90) {'OK' if ok else 'MISMATCH'}")
    log(f"functional max_pool2d calls replaced: {_avg_instead_of_max.calls}")
    log(f"total {time.time()-t_all:.1f}s")

    text = json.dumps(out, sort_keys=True, indent=1) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)


if __name__ == "__main__":
    main()
