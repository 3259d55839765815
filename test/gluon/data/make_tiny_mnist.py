#!/usr/bin/env python3
"""Writes tiny-mnist/: MNIST-layout IDX files with 3 training and 2 test
images of 2x3 pixels, for DataTest. Training files are gzipped, test files
plain, so both readers are exercised. Pixel (i, r, c) = 10*i + 3*r + c,
label i = (i * 4) % 10."""
import gzip
import os
import struct

here = os.path.join(os.path.dirname(os.path.abspath(__file__)), "tiny-mnist")
os.makedirs(here, exist_ok=True)


def idx(dims, values):
    head = struct.pack(">BBBB", 0, 0, 0x08, len(dims))
    head += b"".join(struct.pack(">I", d) for d in dims)
    return head + bytes(values)


for prefix, n, opener in (("train", 3, gzip.open), ("t10k", 2, open)):
    suffix = ".gz" if opener is gzip.open else ""
    pixels = [10 * i + 3 * r + c for i in range(n) for r in range(2) for c in range(3)]
    with opener(os.path.join(here, f"{prefix}-images-idx3-ubyte{suffix}"), "wb") as f:
        f.write(idx([n, 2, 3], pixels))
    with opener(os.path.join(here, f"{prefix}-labels-idx1-ubyte{suffix}"), "wb") as f:
        f.write(idx([n], [(i * 4) % 10 for i in range(n)]))
