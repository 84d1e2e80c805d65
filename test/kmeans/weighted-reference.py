"""Reference values for test/kmeans/weighted.test.ts: scikit-learn's weighted Lloyd from given centres.

Run with Debian's scikit-learn (python3-sklearn): /usr/bin/python3 test/kmeans/weighted-reference.py
The data and weights are the formulas the test uses, so nothing is committed but these few numbers.
"""
import json
import math

import numpy as np
from sklearn.cluster import KMeans

n, d = 200, 2
X = np.array([[math.sin(0.37 * i * (t + 1)) + math.cos(1.3 * i + t) for t in range(d)] for i in range(n)])
w = np.array([0.5 + ((i * 7) % 5) ** 2 for i in range(n)], dtype=float)
init = X[[0, 1, 2, 3]]
km = KMeans(n_clusters=4, init=init, n_init=1, algorithm="lloyd", tol=0, max_iter=300).fit(X, sample_weight=w)
print(json.dumps({
    "sklearn": __import__("sklearn").__version__,
    "centres": km.cluster_centers_.tolist(),
    "inertia": km.inertia_,
    "unweighted_inertia": KMeans(n_clusters=4, init=init, n_init=1, algorithm="lloyd", tol=0).fit(X).inertia_,
    "sizes": np.bincount(km.labels_).tolist(),
    "iterations": km.n_iter_,
}))
