#!/usr/bin/env python3
"""Writes the PTX that mx-lower-to-nvvm embeds in a module, one file per
kernel module, so it can be read or checked with ptxas.

  mxjit-opt f.mlir --mx-lower-to-nvvm | extract-ptx.py -o DIR [--ptxas PTXAS]

Each `gpu.binary @name [#gpu.object<..., assembly = "...">]` (format=isa)
becomes DIR/name.ptx; with --ptxas, every file is assembled with
`PTXAS -arch=<its .target> FILE -o /dev/null` and the script fails if one
does not assemble. Without -o the PTX goes to stdout.
"""
import argparse
import os
import re
import subprocess
import sys

BINARY = re.compile(r'gpu\.binary @(\w+)\s.*?assembly = "((?:[^"\\]|\\.)*)"')


def unescape(text):
    """MLIR prints non-printable bytes of a string as \\XX (hex)."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "\\":
            nxt = text[i + 1]
            if nxt in '"\\':
                out.append(ord(nxt))
                i += 2
                continue
            out.append(int(text[i + 1:i + 3], 16))
            i += 3
            continue
        out += text[i].encode()
        i += 1
    return out.decode()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("input", nargs="?", default="-")
    parser.add_argument("-o", "--output-dir")
    parser.add_argument("--ptxas")
    args = parser.parse_args()
    source = sys.stdin if args.input == "-" else open(args.input)
    modules = [(m.group(1), unescape(m.group(2)))
               for m in BINARY.finditer(source.read())]
    if not modules:
        sys.exit("extract-ptx: no gpu.binary with PTX (format=isa) found")
    if not args.output_dir:
        for _, ptx in modules:
            sys.stdout.write(ptx)
        return
    os.makedirs(args.output_dir, exist_ok=True)
    for name, ptx in modules:
        path = os.path.join(args.output_dir, name + ".ptx")
        with open(path, "w") as f:
            f.write(ptx)
        if args.ptxas:
            arch = re.search(r"^\.target (\w+)", ptx, re.M).group(1)
            subprocess.run([args.ptxas, "-arch=" + arch, path, "-o",
                            os.devnull], check=True)
    print(f"extract-ptx: {len(modules)} module(s)", file=sys.stderr)


if __name__ == "__main__":
    main()
