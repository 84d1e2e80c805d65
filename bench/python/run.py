"""The census segmentation of `strata run` in pandas + scikit-learn, as one process: load, dropna, index
State-County, drop CensusId, describe (raw and scaled), MinMaxScaler, PCA(features - 1), top 5 components,
KMeans(k=7, k-means++, 10 restarts, seed 0), assign with distances, silhouette, then summary.json and
assignments.csv. Args: csv out_dir. Timed from outside (process start to outputs written)."""
import json
import os
import sys

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans
from sklearn.decomposition import PCA
from sklearn.metrics import silhouette_score
from sklearn.preprocessing import MinMaxScaler

csv, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
df = pd.read_csv(csv).dropna()
df.index = df["State"] + "-" + df["County"]
df = df.drop(columns=["CensusId", "State", "County"])
described = df.describe()
scaled = pd.DataFrame(MinMaxScaler().fit_transform(df), index=df.index, columns=df.columns)
described_scaled = scaled.describe()
pca = PCA(n_components=df.shape[1] - 1, svd_solver="full").fit(scaled)
proj = pca.transform(scaled)[:, :5]
km = KMeans(n_clusters=7, init="k-means++", n_init=10, random_state=0).fit(proj)
labels = km.predict(proj)
dist = np.sqrt(((proj - km.cluster_centers_[labels]) ** 2).sum(axis=1))
sil = float(silhouette_score(proj, labels))
pd.DataFrame({"closest_cluster": labels, "distance_to_cluster": dist}, index=df.index).to_csv(
    os.path.join(out, "assignments.csv")
)
with open(os.path.join(out, "summary.json"), "w") as f:
    json.dump({"rows": int(df.shape[0]), "inertia": float(km.inertia_), "silhouette": sil,
               "explainedVarianceRatio": pca.explained_variance_ratio_.tolist(),
               "describe": described.to_dict(), "describeScaled": described_scaled.to_dict()}, f)
