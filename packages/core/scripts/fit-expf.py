"""Fits expf's polynomial (src/kernels/math.ts EXPF_POLY, and generate.mjs's copy): q of degree 4
such that 1 + r + r^2 q(r) is e^r with the least largest relative error over |r| <= 0.3467 (ln 2 / 2
plus the float32 rounding of k), by the Remez exchange on the weighted error. Prints the
coefficients rounded to float32 and the relative error they leave (before float32 evaluation).

    python3 scripts/fit-expf.py   (needs mpmath: Debian's python3-mpmath)
"""
import struct

import mpmath as mp

mp.mp.dps = 40
A = mp.mpf('0.3467')
DEG = 4
N = DEG + 2  # unknowns: DEG + 1 coefficients and the levelled error


def target(r):
    return (mp.exp(r) - 1 - r) / r**2


def weight(r):  # the error of q times r^2 / e^r is the relative error of e^r
    return r**2 / mp.exp(r)


def err(c, r):
    return (sum(cj * r**j for j, cj in enumerate(c)) - target(r)) * weight(r)


def f32(x):
    return struct.unpack('f', struct.pack('f', float(x)))[0]


grid = [-A + 2 * A * k / 4001 for k in range(4002)]  # even count: r = 0 is not on it
ref = [A * mp.cos(mp.pi * (N - 1 - i) / (N - 1)) for i in range(N)]
ref = [r if r != 0 else mp.mpf('1e-9') for r in ref]
for _ in range(20):
    M = mp.matrix(N, N)
    b = mp.matrix(N, 1)
    for i, r in enumerate(ref):
        for j in range(DEG + 1):
            M[i, j] = r**j
        M[i, DEG + 1] = (-1)**i / weight(r)
        b[i] = target(r)
    sol = mp.lu_solve(M, b)
    c = [sol[j] for j in range(DEG + 1)]
    # the new reference: the largest error of each run of one sign, N of them
    runs = []
    for r in grid:
        e = err(c, r)
        if runs and mp.sign(runs[-1][1]) == mp.sign(e):
            if abs(e) > abs(runs[-1][1]):
                runs[-1] = (r, e)
        else:
            runs.append((r, e))
    while len(runs) > N:
        runs.pop(0 if abs(runs[0][1]) < abs(runs[-1][1]) else -1)
    ref = [r for r, _ in runs]

coeffs = [f32(x) for x in c]
worst = max(abs(err([mp.mpf(x) for x in coeffs], r)) for r in grid)
print('EXPF_POLY =', coeffs)
print('largest relative error with float32 coefficients:', mp.nstr(worst, 4), f'({float(worst * 2**24):.3f} of 2^-24)')
