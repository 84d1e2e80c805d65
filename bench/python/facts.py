"""Versions and the BLAS kernel threadpoolctl sees, for BENCHMARKS.md."""
import platform

import numpy
import pandas
import sklearn
from threadpoolctl import threadpool_info

from common import emit

blas = [f"{i.get('internal_api')} {i.get('version')} {i.get('architecture')} x{i.get('num_threads')}"
        for i in threadpool_info() if i.get("user_api") == "blas"]
emit({"python": platform.python_version(), "numpy": numpy.__version__, "pandas": pandas.__version__,
      "sklearn": sklearn.__version__, "blas": ", ".join(blas) or "none"})
