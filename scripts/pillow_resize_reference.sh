#!/usr/bin/env bash
# Resizes the raw images a manifest lists with Pillow (installed from PyPI into the virtual
# environment in .build/python-venv: python_venv.sh), for the bench's PillowResize to be
# compared with. Usage: pillow_resize_reference.sh MANIFEST_JSON
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
source "$here/python_venv.sh"
"$venv/bin/python" "$here/python/pillow_resize_reference.py" "$1"
