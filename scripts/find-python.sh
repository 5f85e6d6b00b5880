#!/usr/bin/env bash
# Print the path of a Python >= 3.12 (Django 6.1 needs it), or explain and fail.
set -u
candidates=(python3.13 python3.12 python3)
root=$(pyenv root 2>/dev/null || echo "${PYENV_ROOT:-$HOME/.pyenv}")
for dir in $(ls -d "$root"/versions/3.1[2-9]* 2>/dev/null | sort -rV); do
  candidates+=("$dir"/bin/python3)
done
for candidate in "${candidates[@]}"; do
  path=$(command -v "$candidate" 2>/dev/null) || continue
  # pyenv shims exist for versions that are not active: actually run the interpreter to be sure.
  if "$path" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
    "$path" -c 'import sys; print(sys.executable)'
    exit 0
  fi
done
echo "Newsroom needs Python >= 3.12 (Django 6.1). Tried: ${candidates[*]}." >&2
echo "Install one (e.g. 'pyenv install 3.13' or 'apt-get install python3.13') and run make again." >&2
exit 1
