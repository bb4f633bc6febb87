# Sourced by the scripts that run Python checks, after they set $here to the scripts folder:
# makes, or completes, the virtual environment in .build/python-venv (or $BENCH_PYTHON_VENV)
# with every PyPI package those checks import, and sets $venv to it. The lock keeps two checks
# that start at once (the test suite runs them in parallel) from building it together.
venv=${BENCH_PYTHON_VENV:-$here/../.build/python-venv}
mkdir -p "$(dirname "$venv")"
exec 9>"$venv.lock"
flock 9
imports="import tensorboard, safetensors, numpy, PIL, onnx, onnxruntime"
if [[ ! -x "$venv/bin/python" ]] || ! "$venv/bin/python" -c "$imports" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check tensorboard safetensors numpy pillow onnx onnxruntime
fi
exec 9>&-
