"""scikit-learn IncrementalPCA streamed over a raw float64 file, batch by batch through a memory map (so
only a batch is in memory, as Strata streams its Parquet channel). Args: path cols components batch.
Prints the wall time of the whole pass and the first singular value; peak RSS is measured by the caller."""
import json
import sys
import time

import numpy as np
from sklearn.decomposition import IncrementalPCA

path, cols, components, batch = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
X = np.memmap(path, dtype="<f8", mode="r").reshape(-1, cols)
t0 = time.perf_counter()
model = IncrementalPCA(n_components=components, batch_size=batch)
for start in range(0, X.shape[0], batch):
    model.partial_fit(np.asarray(X[start : start + batch]))
ms = (time.perf_counter() - t0) * 1000
sys.stdout.write(json.dumps({"ms": ms, "rows": int(X.shape[0]), "firstSingularValue": float(model.singular_values_[0])}) + "\n")
