#!/usr/bin/env bash
# The whole test suite: installs the real servers' packages if missing, builds the CLI, runs vitest.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-test-deps.sh
npx tsc -p tsconfig.build.json
npx vitest run "$@"
