#!/usr/bin/env bash
# Runs every *.test.ts under test/ with node's own test runner.
# Node 20's runner finds no TypeScript tests from a directory or a quoted glob, so the files are listed here.
set -euo pipefail
cd "$(dirname "$0")/.."
export TZ=UTC
files=$(find test -name '*.test.ts' | sort)
[ -n "$files" ] || { echo "no test files found under test/" >&2; exit 1; }
# shellcheck disable=SC2086
exec node --import tsx --test --test-concurrency=2 "$@" $files
