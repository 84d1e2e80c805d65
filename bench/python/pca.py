"""scikit-learn PCA(n_components=cols-1, svd_solver='full') on the benchmark matrix. Args: path cols."""
import sys

from sklearn.decomposition import PCA

from common import emit, measure, read_f64

path, cols = sys.argv[1], int(sys.argv[2])
X = read_f64(path, cols)
last = {}


def fit():
    last["model"] = PCA(n_components=cols - 1, svd_solver="full").fit(X)


result = measure(fit)
result["extra"] = {"firstSingularValue": float(last["model"].singular_values_[0])}
emit(result)
