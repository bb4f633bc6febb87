#!/usr/bin/env bash
# Reads a model's log folder with TensorBoard's HParams plugin (installed from PyPI into the virtual
# environment of python_venv.sh) and checks that every run folder is a session whose hparams are
# its flags and whose validation metric the plugin's table shows.
# Usage: check_hparams.sh LOG_DIR/MODEL RUNS
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/python_venv.sh"
"$venv/bin/python" "$here/python/check_hparams.py" "$1" "$2"
