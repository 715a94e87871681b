"""A per-layer summary of ResNet-152 made the usual way, for docs/PERFORMANCE.md:
build torchvision's model (no weights) and run one forward pass with hooks that record
each leaf module's output shape and parameters (what torchinfo does).

    /usr/bin/python3 scripts/torch_summary.py

Prints the times of building the model and of the hooked forward pass, and the totals,
so that they can be set beside `convatlas analyze resnet152`.
"""
import time

import torch
import torchvision

torch.set_num_threads(2)
t0 = time.perf_counter()
model = torchvision.models.resnet152(weights=None).eval()
t1 = time.perf_counter()
rows = []


def hook(module, inputs, output):
    rows.append((module.__class__.__name__, tuple(output.shape), sum(p.numel() for p in module.parameters(recurse=False))))


for m in model.modules():
    if not list(m.children()):
        m.register_forward_hook(hook)
with torch.no_grad():
    t2 = time.perf_counter()
    model(torch.zeros(1, 3, 224, 224))
    t3 = time.perf_counter()
print(f"build {1000 * (t1 - t0):.0f} ms, hooked forward {1000 * (t3 - t2):.0f} ms, total {1000 * (t3 - t0):.0f} ms")
print(f"{len(rows)} layers, {sum(r[2] for r in rows):,} parameters")
