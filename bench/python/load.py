"""pandas.read_csv (C engine, defaults) or read_parquet of a benchmark file into a DataFrame. Args: path."""
import sys

import pandas as pd

from common import emit, measure

path = sys.argv[1]
reader = pd.read_parquet if path.endswith(".parquet") else pd.read_csv
last = {}


def load():
    last["frame"] = reader(path)


result = measure(load, repeats=3)
result["extra"] = {"rows": int(last["frame"].shape[0]), "cols": int(last["frame"].shape[1])}
emit(result)
