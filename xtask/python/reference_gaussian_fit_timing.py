#!/usr/bin/env python3
"""Times the reference's `GaussianModel.fit` (aisynphys `connectivity.py`) at the sizes of
the `gaussian_fit` criterion group of `synphys-connectivity` (issue 13, item 4).

The reference's algorithm is restated here so that it runs with NumPy and SciPy alone
(aisynphys itself pulls in a database stack): a 5 × 5 grid of sub-boxes of the bounds
pmax [0.001, 1], σ [10 µm, 1 mm], one bounded `scipy.optimize.minimize(method='L-BFGS-B')`
from each sub-box centre on the negative log-likelihood `-(Σ log p[conn] + Σ log(1-p)[~conn])`,
the best kept. Inputs follow the bench: lateral distances gamma(shape 2, scale 60 µm)
below 500 µm, a Gaussian profile with pmax 0.14 and σ 102 µm.

    python3 -m venv /tmp/reffit && /tmp/reffit/bin/pip install numpy scipy
    /tmp/reffit/bin/python xtask/python/reference_gaussian_fit_timing.py [--repeats 7]

Prints one line per size: the median and minimum wall time and the minimum CPU time
(process time, less sensitive to other load on the machine) of a whole fit, the NLL and
the fitted parameters.
"""
import argparse
import os

# One BLAS thread: SciPy ≥ 1.15's L-BFGS-B calls LAPACK on 2 × 2 systems, where a thread
# pool only adds synchronisation (it made each sub-fit cost milliseconds on 2 cores).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import time  # noqa: E402
import warnings  # noqa: E402

import numpy as np  # noqa: E402
import scipy  # noqa: E402
import scipy.optimize  # noqa: E402


def pairs(n, seed):
    """Probed distances (m) and outcomes like the bench's `pairs`."""
    rng = np.random.RandomState(seed)
    x = np.empty(0)
    while x.size < n:
        draw = rng.gamma(2.0, 60e-6, size=2 * n)
        x = np.concatenate([x, draw[draw < 500e-6]])
    x = x[:n]
    p = 0.14 * np.exp(-x**2 / (2 * 102e-6**2))
    return x, rng.rand(n) < p


def err_fn(params, x, conn):
    """The reference's `ConnectivityModel.err_fn` for `GaussianModel`."""
    pmax, size = params
    p = pmax * np.exp(-x**2 / (2 * size**2))
    return -(np.log(p[conn]).sum() + np.log((1 - p)[~conn]).sum())


def fit(x, conn, bounds=((0.001, 1), (10e-6, 1e-3)), n=6):
    """The reference's `ConnectivityModel.fit` with `method='L-BFGS-B'`."""
    p_bins = np.linspace(bounds[0][0], bounds[0][1], n)
    s_bins = np.linspace(bounds[1][0], bounds[1][1], n)
    best = None
    for p_bin in zip(p_bins[:-1], p_bins[1:]):
        for s_bin in zip(s_bins[:-1], s_bins[1:]):
            init = (np.mean(p_bin), np.mean(s_bin))
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                result = scipy.optimize.minimize(
                    err_fn, x0=init, args=(x, conn), bounds=(p_bin, s_bin), method="L-BFGS-B"
                )
            if best is None or result.fun < best.fun:
                best = result
    return best


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="*", default=[100, 1000, 10000, 25000])
    args = parser.parse_args()
    print(f"# numpy {np.__version__}, scipy {scipy.__version__}")
    print("pairs\tmedian_ms\tmin_ms\tmin_cpu_ms\tnll\tpmax\tsigma_um")
    for n in args.sizes:
        x, conn = pairs(n, n)
        times, cpu = [], []
        for _ in range(args.repeats):
            start, start_cpu = time.perf_counter(), time.process_time()
            best = fit(x, conn)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
        times.sort()
        print(
            f"{n}\t{1e3 * times[len(times) // 2]:.2f}\t{1e3 * times[0]:.2f}\t{1e3 * min(cpu):.2f}"
            f"\t{best.fun:.6f}"
            f"\t{best.x[0]:.5f}\t{best.x[1] * 1e6:.2f}"
        )


if __name__ == "__main__":
    main()
