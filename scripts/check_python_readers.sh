#!/usr/bin/env bash
# Opens a run folder with TensorBoard's event reader and the safetensors package (installed
# from PyPI into a virtual environment kept in .build/python-venv: python_venv.sh) and compares
# what they read with the run's CSVs and the tensors the bench saved.
# Usage: check_python_readers.sh RUN EXPECTED_JSON
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/python_venv.sh"
"$venv/bin/python" "$here/python/check_run_files.py" "$1" "$2"
