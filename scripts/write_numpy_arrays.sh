#!/usr/bin/env bash
# Has NumPy itself (from PyPI, in the virtual environment kept in .build/python-venv) write
# arrays in every dtype, byte order and layout the bench reads, .npz archives and datasets, and
# a manifest of their values, for the tests to read back. Usage: write_numpy_arrays.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${BENCH_PYTHON_VENV:-$here/../.build/python-venv}
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import numpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check numpy
fi
"$venv/bin/python" "$here/python/write_numpy_arrays.py" "$1"
