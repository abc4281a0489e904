"""Without Dask (the ``dask`` extra), the Dask engine's modules are not collected for doctests.

``tests/test_dask_engine.py`` skips itself in that case; the ``test`` extra installs Dask,
so CI runs both.
"""

import importlib.util

collect_ignore_glob = ([] if importlib.util.find_spec("dask") and importlib.util.find_spec(
    "distributed") else ["exposure/*dask*.py"])
