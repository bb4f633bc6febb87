#!/usr/bin/env bash
# Opens a run folder with TensorBoard's event reader and the safetensors package (installed
# from PyPI into a virtual environment kept in .build/python-venv) and compares what they read
# with the run's CSVs and the tensors the bench saved. Usage: check_python_readers.sh RUN EXPECTED_JSON
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
venv=${BENCH_PYTHON_VENV:-$here/../.build/python-venv}
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "import tensorboard, safetensors, numpy" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check tensorboard safetensors numpy
fi
"$venv/bin/python" "$here/python/check_run_files.py" "$1" "$2"
