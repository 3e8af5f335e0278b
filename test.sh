#!/usr/bin/env bash
# Runs every test: unit, component (real DuckDB files) and end-to-end (the CLI as a user runs it).
set -euo pipefail
cd "$(dirname "$0")"
dotnet test Tributary.slnx -c Release --nologo "$@"
