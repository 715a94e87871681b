#!/usr/bin/python3
"""ONNX test models for the importer (onnx/), exported from Debian's torchvision.

    /usr/bin/python3 scripts/onnx_testdata.py onnx/testdata

Every torchvision network of the catalogue is built with weights=None, put in eval
mode and exported with

    torch.onnx.export(model, x, f, export_params=False, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE, opset_version=17)

* export_params=False writes no weights: the parameters become graph inputs with
  their shapes, which is all the importer reads, so a file is a few kilobytes;
* PRESERVE exports the model in the mode it is in (eval: no auxiliary classifier,
  no random stochastic depth) and skips the EVAL-mode peephole pass that folds every
  BatchNormalization into the convolution before it: batch norm is kept;
* opset 17 has LayerNormalization (ConvNeXt) as one operator.

resnet18_folded.onnx is resnet18 exported with training=TrainingMode.EVAL instead:
the exporter folds the batch norms into the convolutions, which the importer reports.

Each file is stored gzipped (NAME.onnx.gz, mtime 0: the same torch gives the same
bytes): the graphs' node names compress tenfold, 3 MB to 0.23 MB for all 33.
"""

import gzip
import io
import os
import sys

import torch
import torchvision

MODELS = [
    "vgg11", "vgg13", "vgg16", "vgg19", "vgg11_bn", "vgg13_bn", "vgg16_bn", "vgg19_bn",
    "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
    "wide_resnet50_2", "resnext50_32x4d", "resnext101_32x8d",
    "densenet121", "densenet161", "densenet169", "densenet201",
    "mobilenet_v2", "shufflenet_v2_x1_0", "squeezenet1_0", "squeezenet1_1", "inception_v3",
    "efficientnet_b0", "mobilenet_v3_large", "mobilenet_v3_small", "mnasnet1_0",
    "regnet_x_400mf", "regnet_y_400mf", "convnext_tiny",
]


def export(name, path, mode):
    buf = io.BytesIO()
    export_to(name, buf, mode)
    with open(path + ".gz", "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as f:
        f.write(buf.getvalue())
    return len(buf.getvalue())


def export_to(name, f, mode):
    kw = {"weights": None}
    if name == "inception_v3":
        kw.update(aux_logits=True, init_weights=False)
    model = getattr(torchvision.models, name)(**kw).eval()
    side = 299 if name == "inception_v3" else 224
    torch.onnx.export(model, torch.ones(1, 3, side, side), f, export_params=False,
                      do_constant_folding=False, training=mode, opset_version=17,
                      input_names=["input"], output_names=["logits"])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else "onnx/testdata"
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    for name in MODELS:
        size = export(name, os.path.join(out, name + ".onnx"), torch.onnx.TrainingMode.PRESERVE)
        print(name, size, file=sys.stderr)
    export("resnet18", os.path.join(out, "resnet18_folded.onnx"), torch.onnx.TrainingMode.EVAL)


if __name__ == "__main__":
    main()
