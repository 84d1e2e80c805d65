"""scikit-learn KMeans (lloyd or elkan) from given initial centres for a fixed number of iterations.
Args: path cols centres_path iterations algorithm. Reports the whole fit, its n_iter_ and the final inertia."""
import sys

from sklearn.cluster import KMeans

from common import emit, measure, read_f64

path, cols, centres_path, iterations, algorithm = sys.argv[1:6]
cols, iterations = int(cols), int(iterations)
X = read_f64(path, cols)
C = read_f64(centres_path, cols)
last = {}


def fit():
    last["model"] = KMeans(
        n_clusters=C.shape[0], init=C, n_init=1, max_iter=iterations, tol=0, algorithm=algorithm
    ).fit(X)


result = measure(fit)
m = last["model"]
result["extra"] = {"iterations": int(m.n_iter_), "inertia": float(m.inertia_)}
emit(result)
