#!/usr/bin/env python3
"""Writes an MXNet .params file (nd.save layout, see frontend/nd/Serialize.cpp)
with deterministic float32 weights: make_params.py OUT NAME=D0,D1,... ...

Element i of the k-th array is ((i * 31 + k * 17) % 97 / 97 - 0.5) * 0.2:
small values of both signs, the same on every run and machine; arrays whose
name ends in "moving_var" (BatchNorm variances) get 0.5 added to the
absolute value so they stay positive."""
import struct
import sys


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    body = struct.pack("<QQQ", 0x112, 0, len(specs))
    names = []
    for k, spec in enumerate(specs):
        name, dims = spec.split("=")
        shape = [int(d) for d in dims.split(",")]
        count = 1
        for d in shape:
            count *= d
        body += struct.pack("<Iii", 0xF993FAC9, 0, len(shape))
        body += struct.pack("<%dq" % len(shape), *shape)
        body += struct.pack("<iii", 1, 0, 0)  # cpu(0), float32
        values = [((i * 31 + k * 17) % 97 / 97 - 0.5) * 0.2 for i in range(count)]
        if name.endswith("moving_var"):
            values = [abs(v) + 0.5 for v in values]
        body += struct.pack("<%df" % count, *values)
        names.append(name)
    body += struct.pack("<Q", len(names))
    for name in names:
        encoded = name.encode()
        body += struct.pack("<Q", len(encoded)) + encoded
    with open(out, "wb") as f:
        f.write(body)


if __name__ == "__main__":
    main()
