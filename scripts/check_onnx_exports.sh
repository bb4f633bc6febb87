#!/usr/bin/env bash
# Checks ONNX files the bench exported with onnx.checker and onnxruntime (from PyPI, in the
# virtual environment python_venv.sh keeps) against what predict and extract_features wrote.
# Usage: check_onnx_exports.sh CASES_JSON (see scripts/python/check_onnx_exports.py)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/python_venv.sh"
"$venv/bin/python" "$here/python/check_onnx_exports.py" "$1"
