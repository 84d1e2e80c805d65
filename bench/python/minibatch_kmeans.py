"""scikit-learn MiniBatchKMeans, the peer of Strata's web-scale K-Means: k clusters, batches of batch_size rows,
`epochs` passes (max_iter), no early stop (max_no_improvement=None, tol=0) so every pass runs, k-means++ on
sklearn's own init sample (3 x batch_size rows, its 3 inits), on at most `threads` OpenMP/BLAS threads
(threadpoolctl; OpenMP's spinning threads slow down many times over on a busy machine, so the count is
Strata's, never more). Args: path cols k batch_size epochs threads.
Reports the whole fit (which ends with labels and inertia over every row, as Strata's ends with a measuring
pass) and the final inertia over every row."""
import sys

from sklearn.cluster import MiniBatchKMeans
from threadpoolctl import threadpool_limits

from common import emit, measure, read_f64

path, cols, k, batch_size, epochs, threads = sys.argv[1:7]
X = read_f64(path, int(cols))
last = {}


def fit():
    last["model"] = MiniBatchKMeans(
        n_clusters=int(k),
        batch_size=int(batch_size),
        max_iter=int(epochs),
        n_init=3,
        max_no_improvement=None,
        tol=0.0,
        random_state=0,
    ).fit(X)


with threadpool_limits(limits=int(threads)):
    result = measure(fit)
m = last["model"]
result["extra"] = {"inertia": float(m.inertia_), "steps": int(m.n_steps_)}
emit(result)
