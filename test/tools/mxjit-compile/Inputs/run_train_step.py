#!/usr/bin/env python3
"""run_train_step.py HEADER LIBRARY STEPS: calls NAME_train_step of a model
compiled with `mxjit-compile --train` (linked into a shared library with
`cc -shared`) STEPS times through ctypes, on the buffers
`mxjit-compile --jit-run --train` fills: inputs and weights
((i*37) % 101)/101 - 0.5, auxiliary states the same, labels
((i*37) % 101) % classes, optimizer states zero, Adam's t the step number.
Prints the outputs of the last step, then the auxiliary states, the weights
and the optimizer states, one value per line, as --jit-run does. The
buffers' names, roles and sizes come from the header's comment."""
import ctypes
import re
import sys

header, library, steps = sys.argv[1], sys.argv[2], int(sys.argv[3])
text = open(header).read()
proto = re.search(r"int (\w+_train_step)\((.*)\);", text)
roles = dict(re.findall(r"\*   (\w+): ([a-z ]+?) '", text))
sizes = {m: int(v) for m, v in re.findall(r"#define (\w+)_SIZE (\d+)", text)}
prefix = proto.group(1)[: -len("_train_step")].upper()
params = [p.split()[-1].lstrip("*") for p in proto.group(2).split(", ")]

buffers, args, t_index = {}, [], None
outputs = [p for p in params if roles.get(p) == "output"]
label_size = sum(sizes[prefix + "_" + p.upper()] for p in params
                 if roles.get(p) == "label")
classes = sizes[prefix + "_" + outputs[0].upper()] // max(label_size, 1)
for p in params:
    role = roles.get(p)
    if role is None:  # Adam's step count, by value
        t_index = len(args)
        args.append(None)
        continue
    n = sizes[prefix + "_" + p.upper()]
    buf = (ctypes.c_float * n)()
    for i in range(n):
        k = (i * 37) % 101
        if role == "label":
            buf[i] = k % classes
        elif role != "optimizer state" and role != "output":
            buf[i] = k / 101.0 - 0.5
    buffers[p] = buf
    args.append(buf)

fn = getattr(ctypes.CDLL(library), proto.group(1))
fn.restype = ctypes.c_int
for step in range(1, steps + 1):
    if t_index is not None:
        args[t_index] = ctypes.c_int64(step)
    if fn(*args) != 0:
        sys.exit("the step returned non-zero")
for role in ["output", "auxiliary state", "weight", "optimizer state"]:
    for p in params:
        if roles.get(p) == role:
            sys.stdout.write("".join("%.9g\n" % v for v in buffers[p]))
