#!/usr/bin/env python3
"""Writes the MXNet symbol JSON fixtures under test/symbol/fixtures/.

Python 3 standard library only: MXNet is not needed. The graphs are built
the way MXNet 1.x's Python API builds them (automatic names such as
convolution0 and _plus0, missing inputs created as "<node>_<input>"
variables that copy the node's attributes, as nnvm's Symbol::Compose does),
and written with the layout of MXNet's dmlc JSON writer, so each file is
what MXNet 1.9.1 writes for the same Python code. Two legacy files use the
layouts of MXNet 0.8 and 0.11 instead.

Usage: scripts/gen_fixtures.py [output-dir]
"""

import os
import sys

MXNET_VERSION = 10901  # 1.9.1

# Outputs each op has in MXNet, hidden ones included (node_row_ptr counts
# them): BatchNorm also outputs its batch mean and variance.
NUM_OUTPUTS = {"BatchNorm": 3, "Dropout": 2}

# Input names of the ops used here (aux states last, as MXNet lists them).
INPUTS = {
    "Convolution": lambda a: ["data", "weight"]
    + ([] if a.get("no_bias") == "True" else ["bias"]),
    "FullyConnected": lambda a: ["data", "weight"]
    + ([] if a.get("no_bias") == "True" else ["bias"]),
    "BatchNorm": lambda a: ["data", "gamma", "beta", "moving_mean", "moving_var"],
    "Activation": lambda a: ["data"],
    "Pooling": lambda a: ["data"],
    "Flatten": lambda a: ["data"],
    "SoftmaxOutput": lambda a: ["data", "label"],
    "elemwise_add": lambda a: ["lhs", "rhs"],
}


def pystr(v):
    """MXNet stores parameters as Python's str() of the keyword value."""
    if isinstance(v, tuple):
        return "(" + ", ".join(str(x) for x in v) + ("," if len(v) == 1 else "") + ")"
    return str(v)


class Node:
    def __init__(self, op, name, attrs, inputs):
        self.op, self.name, self.attrs, self.inputs = op, name, attrs, inputs


class Graph:
    """A tiny stand-in for mx.sym with MXNet 1.x naming rules."""

    def __init__(self):
        self.counters = {}

    def var(self, name, **attrs):
        return (Node(None, name, {k: pystr(v) for k, v in attrs.items()}, []), 0)

    def op(self, op, *args, name=None, hint=None, **kwargs):
        if name is None:
            hint = hint or op.lower()
            n = self.counters.get(hint, 0)
            self.counters[hint] = n + 1
            name = "%s%d" % (hint, n)
        given = {k: v for k, v in kwargs.items() if isinstance(v, tuple) and
                 len(v) == 2 and isinstance(v[0], Node)}
        attrs = {k: pystr(v) for k, v in kwargs.items() if k not in given}
        names = INPUTS[op](attrs)
        inputs = []
        for i, input_name in enumerate(names):
            if i < len(args):
                inputs.append(args[i])
            elif input_name in given:
                inputs.append(given[input_name])
            else:
                # nnvm copies the node's attributes onto created variables.
                inputs.append((Node(None, "%s_%s" % (name, input_name), dict(attrs), []), 0))
        return (Node(op, name, attrs, inputs), 0)


def topo(heads):
    order, seen = [], set()

    def visit(node):
        if id(node) in seen:
            return
        seen.add(id(node))
        for inp, _ in node.inputs:
            visit(inp)
        order.append(node)

    for node, _ in heads:
        visit(node)
    return order


class DmlcWriter:
    """dmlc::JSONWriter's layout: objects of more than one member and arrays
    of more than ten numbers (or of non-numbers) one item per line."""

    def __init__(self):
        self.out, self.multi, self.count = [], [], []

    def _sep(self):
        if not self.multi or self.multi[-1]:
            self.out.append("\n" + " " * (2 * len(self.multi)))

    def begin(self, ch, multi):
        self.out.append(ch)
        self.multi.append(multi)
        self.count.append(0)

    def end(self, ch):
        multi, n = self.multi.pop(), self.count.pop()
        if multi and n:
            self._sep()
        self.out.append(ch)

    def key(self, k):
        if self.count[-1]:
            self.out.append(", ")
        self.count[-1] += 1
        self._sep()
        self.out.append('"%s": ' % k)

    def item(self):
        if self.count[-1]:
            self.out.append(", ")
        self.count[-1] += 1
        self._sep()

    def string(self, s):
        for a, b in (("\\", "\\\\"), ("\r", "\\r"), ("\n", "\\n"), ("\t", "\\t"), ('"', '\\"')):
            s = s.replace(a, b)
        self.out.append('"%s"' % s)

    def raw(self, text):
        self.out.append(text)

    def numbers(self, values):
        self.begin("[", len(values) > 10)
        for v in values:
            self.item()
            self.raw(str(v))
        self.end("]")

    def string_map(self, m):
        self.begin("{", len(m) > 1)
        for k in sorted(m):
            self.key(k)
            self.string(m[k])
        self.end("}")

    def entries(self, entries, with_version=True):
        self.begin("[", len(entries) > 10)
        for e in entries:
            self.item()
            self.raw("[" + ", ".join(str(x) for x in (e + (0,) if with_version else e)) + "]")
        self.end("]")

    def text(self):
        return "".join(self.out)


def write_mxnet1(heads):
    """MXNet 1.x: "attrs", [node, output, version] entries, node_row_ptr."""
    nodes = topo(heads)
    ids = {id(n): i for i, n in enumerate(nodes)}
    w = DmlcWriter()
    w.begin("{", True)
    w.key("nodes")
    w.begin("[", True)
    row_ptr, arg_nodes = [0], []
    for n in nodes:
        w.item()
        w.begin("{", True)
        w.key("op")
        w.string(n.op or "null")
        w.key("name")
        w.string(n.name)
        if n.attrs:
            w.key("attrs")
            w.string_map(n.attrs)
        w.key("inputs")
        w.entries([(ids[id(i)], k) for i, k in n.inputs])
        w.end("}")
        if n.op is None:
            arg_nodes.append(ids[id(n)])
        row_ptr.append(row_ptr[-1] + NUM_OUTPUTS.get(n.op, 1))
    w.end("]")
    w.key("arg_nodes")
    w.numbers(arg_nodes)
    w.key("node_row_ptr")
    w.numbers(row_ptr)
    w.key("heads")
    w.entries([(ids[id(n)], k) for n, k in heads])
    w.key("attrs")
    w.raw('{"mxnet_version": ["int", %d]}' % MXNET_VERSION)
    w.end("}")
    return w.text()


def write_mxnet08(heads, params, user_attrs):
    """MXNet 0.8: every parameter (defaults included) under "param", user
    attributes under "attr", [node, output] entries, backward_source_id, no
    node_row_ptr and no version. `params`/`user_attrs` map node names to
    their dictionaries."""
    nodes = topo(heads)
    ids = {id(n): i for i, n in enumerate(nodes)}
    w = DmlcWriter()
    w.begin("{", True)
    w.key("nodes")
    w.begin("[", True)
    for n in nodes:
        w.item()
        w.begin("{", True)
        w.key("op")
        w.string(n.op or "null")
        w.key("param")
        w.string_map(params.get(n.name, {}))
        w.key("name")
        w.string(n.name)
        w.key("inputs")
        w.entries([(ids[id(i)], k) for i, k in n.inputs], with_version=False)
        w.key("backward_source_id")
        w.raw("-1")
        if n.name in user_attrs:
            w.key("attr")
            w.string_map(user_attrs[n.name])
        w.end("}")
    w.end("]")
    w.key("arg_nodes")
    w.numbers([ids[id(n)] for n in nodes if n.op is None])
    w.key("heads")
    w.entries([(ids[id(n)], k) for n, k in heads], with_version=False)
    w.end("}")
    return w.text()


def write_mxnet011(heads, version):
    """MXNet 0.9.5 to 0.11 (nnvm before the "attrs" rename): attributes
    under "attr", otherwise the 1.x layout."""
    return write_mxnet1(heads).replace('"attrs": {', '"attr": {').replace(
        '"attr": {"mxnet_version"', '"attrs": {"mxnet_version"').replace(
        '["int", %d]' % MXNET_VERSION, '["int", %d]' % version)


# ---------------------------------------------------------------- graphs


def mlp():
    g = Graph()
    x = g.var("data")
    x = g.op("FullyConnected", x, name="fc1", num_hidden=128)
    x = g.op("Activation", x, name="relu1", act_type="relu")
    x = g.op("FullyConnected", x, name="fc2", num_hidden=64)
    x = g.op("Activation", x, name="relu2", act_type="relu")
    x = g.op("FullyConnected", x, name="fc3", num_hidden=10)
    return [g.op("SoftmaxOutput", x, name="softmax")]


def lenet():
    # MXNet's example/image-classification/symbols/lenet.py, automatic names.
    g = Graph()
    x = g.var("data")
    x = g.op("Convolution", x, kernel=(5, 5), num_filter=20)
    x = g.op("Activation", x, act_type="tanh")
    x = g.op("Pooling", x, pool_type="max", kernel=(2, 2), stride=(2, 2))
    x = g.op("Convolution", x, kernel=(5, 5), num_filter=50)
    x = g.op("Activation", x, act_type="tanh")
    x = g.op("Pooling", x, pool_type="max", kernel=(2, 2), stride=(2, 2))
    x = g.op("Flatten", x)
    x = g.op("FullyConnected", x, num_hidden=500)
    x = g.op("Activation", x, act_type="tanh")
    x = g.op("FullyConnected", x, num_hidden=10)
    return [g.op("SoftmaxOutput", x, name="softmax")]


def residual_unit(g, data, num_filter, stride, dim_match, name):
    # MXNet's symbols/resnet.py residual_unit with bottle_neck=False.
    bn1 = g.op("BatchNorm", data, fix_gamma=False, momentum=0.9, eps=2e-5, name=name + "_bn1")
    act1 = g.op("Activation", bn1, act_type="relu", name=name + "_relu1")
    conv1 = g.op("Convolution", act1, num_filter=num_filter, kernel=(3, 3), stride=stride,
                 pad=(1, 1), no_bias=True, workspace=256, name=name + "_conv1")
    bn2 = g.op("BatchNorm", conv1, fix_gamma=False, momentum=0.9, eps=2e-5, name=name + "_bn2")
    act2 = g.op("Activation", bn2, act_type="relu", name=name + "_relu2")
    conv2 = g.op("Convolution", act2, num_filter=num_filter, kernel=(3, 3), stride=(1, 1),
                 pad=(1, 1), no_bias=True, workspace=256, name=name + "_conv2")
    if dim_match:
        shortcut = data
    else:
        shortcut = g.op("Convolution", act1, num_filter=num_filter, kernel=(1, 1), stride=stride,
                        no_bias=True, workspace=256, name=name + "_sc")
    # conv2 + shortcut: Symbol.__add__ calls _Plus, an alias of elemwise_add.
    return g.op("elemwise_add", conv2, shortcut, hint="_plus")


def resnet_block():
    g = Graph()
    return [residual_unit(g, g.var("data"), 64, (1, 1), False, "stage1_unit1")]


def resnet18():
    # symbols/resnet.py get_symbol(1000, 18, "3,224,224"): ImageNet stem;
    # the identity node newer versions put before bn_data is left out, as
    # in the published resnet-18-symbol.json.
    g = Graph()
    units, filters = [2, 2, 2, 2], [64, 64, 128, 256, 512]
    data = g.var("data")
    data = g.op("BatchNorm", data, fix_gamma=True, eps=2e-5, momentum=0.9, name="bn_data")
    body = g.op("Convolution", data, num_filter=filters[0], kernel=(7, 7), stride=(2, 2),
                pad=(3, 3), no_bias=True, name="conv0", workspace=256)
    body = g.op("BatchNorm", body, fix_gamma=False, eps=2e-5, momentum=0.9, name="bn0")
    body = g.op("Activation", body, act_type="relu", name="relu0")
    body = g.op("Pooling", body, kernel=(3, 3), stride=(2, 2), pad=(1, 1), pool_type="max")
    for i in range(4):
        s = 1 if i == 0 else 2
        body = residual_unit(g, body, filters[i + 1], (s, s), False, "stage%d_unit1" % (i + 1))
        for j in range(units[i] - 1):
            body = residual_unit(g, body, filters[i + 1], (1, 1), True,
                                 "stage%d_unit%d" % (i + 1, j + 2))
    bn1 = g.op("BatchNorm", body, fix_gamma=False, eps=2e-5, momentum=0.9, name="bn1")
    relu1 = g.op("Activation", bn1, act_type="relu", name="relu1")
    pool1 = g.op("Pooling", relu1, global_pool=True, kernel=(7, 7), pool_type="avg", name="pool1")
    flat = g.op("Flatten", pool1)
    fc1 = g.op("FullyConnected", flat, num_hidden=1000, name="fc1")
    return [g.op("SoftmaxOutput", fc1, name="softmax")]


def legacy_v08():
    """A conv-BN-FC net as MXNet 0.8 saved it: BatchNorm without its
    moving_mean/moving_var inputs, bare hidden keys (ctx_group, lr_mult,
    wd_mult, weight_lr_mult) in "attr"."""
    g = Graph()
    data = g.var("data")
    conv_w, conv_b = g.var("conv1_weight"), g.var("conv1_bias")
    conv = g.op("Convolution", data, conv_w, conv_b, name="conv1")
    gamma, beta = g.var("bn1_gamma"), g.var("bn1_beta")
    bn = g.op("BatchNorm", conv, gamma, beta, name="bn1")
    bn[0].inputs = bn[0].inputs[:3]  # 0.8 did not save auxiliary states
    act = g.op("Activation", bn, name="relu1")
    flat = g.op("Flatten", act, name="flatten0")
    fc_w, fc_b = g.var("fc1_weight"), g.var("fc1_bias")
    fc = g.op("FullyConnected", flat, fc_w, fc_b, name="fc1")
    out = g.op("SoftmaxOutput", fc, g.var("softmax_label"), name="softmax")
    params = {
        "conv1": {"kernel": "(3, 3)", "no_bias": "False", "num_filter": "8",
                  "pad": "(1, 1)", "stride": "(1, 1)", "workspace": "512"},
        "bn1": {"eps": "0.001", "fix_gamma": "True", "momentum": "0.9",
                "use_global_stats": "False"},
        "relu1": {"act_type": "relu"},
        "fc1": {"no_bias": "False", "num_hidden": "10"},
        "softmax": {"grad_scale": "1", "ignore_label": "-1", "multi_output": "False",
                    "normalization": "null", "use_ignore": "False"},
    }
    user_attrs = {
        "data": {"ctx_group": "stage1"},
        "conv1_weight": {"ctx_group": "stage1", "lr_mult": "0.5"},
        "conv1": {"ctx_group": "stage1", "weight_lr_mult": "2", "bias_wd_mult": "0"},
        "bn1": {"ctx_group": "stage1"},
        "fc1_weight": {"wd_mult": "0.1", "weight_lr_mult": "1.5"},
        "fc1": {"ctx_group": "stage2", "mood": "legacy"},
    }
    # A user attribute MXNet does not know stays as written: drop it from the
    # op (MXNet 1.x would reject it there) but keep one on a variable.
    del user_attrs["fc1"]["mood"]
    user_attrs["softmax_label"] = {"mood": "legacy"}
    return write_mxnet08([out], params, user_attrs)


def legacy_v011():
    """An MLP with a BatchNorm as MXNet 0.11 saved it: "attr" dictionaries,
    bare hidden keys, BatchNorm aux inputs present but without __init__."""
    g = Graph()
    x = g.var("data", lr_mult="0")
    x = g.op("FullyConnected", x, name="fc1", num_hidden=32)
    x = g.op("BatchNorm", x, name="bn1", fix_gamma=False)
    x = g.op("Activation", x, name="relu1", act_type="relu")
    x = g.op("FullyConnected", x, name="fc2", num_hidden=10, weight_wd_mult="0.5")
    out = g.op("SoftmaxOutput", x, name="softmax")
    # MXNet's FixParsing moves fc2's weight_wd_mult onto fc2_weight, but
    # the automatically created fc2_weight copied it first; keep only the
    # op's copy so the move is observable.
    fc2 = x[0]
    for inp, _ in fc2.inputs[1:]:
        inp.attrs.pop("weight_wd_mult")
    return write_mxnet011([out], 1100)


FIXTURES = {
    "mlp-symbol.json": lambda: write_mxnet1(mlp()),
    "lenet-symbol.json": lambda: write_mxnet1(lenet()),
    "resnet-block-symbol.json": lambda: write_mxnet1(resnet_block()),
    "resnet18-symbol.json": lambda: write_mxnet1(resnet18()),
    "legacy-v0.8-symbol.json": legacy_v08,
    "legacy-v0.11-attr-symbol.json": legacy_v011,
}


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "test", "symbol", "fixtures")
    os.makedirs(out_dir, exist_ok=True)
    for name, make in FIXTURES.items():
        # MXNet's Symbol.save writes the JSON without a trailing newline.
        with open(os.path.join(out_dir, name), "w", newline="") as f:
            f.write(make())
        print("wrote", os.path.join(out_dir, name))


if __name__ == "__main__":
    main()
