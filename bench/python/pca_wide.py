"""scikit-learn PCA on the wide benchmark matrix: svd_solver='full' (exact) and svd_solver='randomized' with
iterated_power 1 and 'auto', each timed, with its explained-variance ratios. Args: path cols n_components."""
import sys

from sklearn.decomposition import PCA

from common import emit, measure, read_f64

path, cols, k = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
X = read_f64(path, cols)
out = {}
for name, options in [
    ("full", {"svd_solver": "full"}),
    ("randomized-1", {"svd_solver": "randomized", "iterated_power": 1, "random_state": 0}),
    ("randomized-auto", {"svd_solver": "randomized", "iterated_power": "auto", "random_state": 0}),
]:
    last = {}

    def fit(options=options, last=last):
        last["model"] = PCA(n_components=k, **options).fit(X)

    result = measure(fit)
    result["ratios"] = [float(r) for r in last["model"].explained_variance_ratio_]
    del result["extra"]
    out[name] = result
emit(out)
