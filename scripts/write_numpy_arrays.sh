#!/usr/bin/env bash
# Has NumPy itself (from PyPI, in the checks' virtual environment: python_venv.sh) write
# arrays in every dtype, byte order and layout the bench reads, .npz archives and datasets, and
# a manifest of their values, for the tests to read back. Usage: write_numpy_arrays.sh DIR
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# The checks' shared environment, made under its lock: the suite runs several checks at once.
source "$here/python_venv.sh"
"$venv/bin/python" "$here/python/write_numpy_arrays.py" "$1"
