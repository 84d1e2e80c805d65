"""scikit-learn KMeans (lloyd or elkan) from given initial centres for a fixed number of iterations.
Args: path cols centres_path iterations algorithm [weighted]. With "weighted", row i has sample weight
1 + (i mod 5), as bench/cases/kmeans.ts gives Strata. Reports the whole fit, its n_iter_ and the final inertia."""
import sys

import numpy as np

from sklearn.cluster import KMeans

from common import emit, measure, read_f64

path, cols, centres_path, iterations, algorithm = sys.argv[1:6]
weighted = len(sys.argv) > 6 and sys.argv[6] == "weighted"
cols, iterations = int(cols), int(iterations)
X = read_f64(path, cols)
C = read_f64(centres_path, cols)
W = (np.arange(X.shape[0]) % 5 + 1).astype(float) if weighted else None
last = {}


def fit():
    last["model"] = KMeans(
        n_clusters=C.shape[0], init=C, n_init=1, max_iter=iterations, tol=0, algorithm=algorithm
    ).fit(X, sample_weight=W)


result = measure(fit)
m = last["model"]
result["extra"] = {"iterations": int(m.n_iter_), "inertia": float(m.inertia_)}
emit(result)
