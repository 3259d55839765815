#!/usr/bin/env python3
"""compare.py A B [TOL]: both files hold one number per line; fails unless
they have the same count and every pair differs by at most TOL (default
1e-5) and neither holds a NaN. Prints the count and the largest difference."""
import sys

a = [float(x) for x in open(sys.argv[1]).read().split()]
b = [float(x) for x in open(sys.argv[2]).read().split()]
tol = float(sys.argv[3]) if len(sys.argv) > 3 else 1e-5
if len(a) != len(b) or not a:
    sys.exit("count mismatch: %d vs %d values" % (len(a), len(b)))
if any(x != x for x in a + b):
    sys.exit("NaN among the values")
worst = max(abs(x - y) for x, y in zip(a, b))
print("values: %d max-abs-diff: %.3g" % (len(a), worst))
if worst > tol:
    sys.exit("max abs diff %.3g exceeds %g" % (worst, tol))
