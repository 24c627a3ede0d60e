#!/usr/bin/env bash
# Builds the conformance oracle (Cilium v1.20.0's own policy code) into conformance/oracle/bin/.
# Go's module and build caches (GOMODCACHE, GOCACHE) make repeated builds incremental.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
oracle="$root/conformance/oracle"

if ! command -v go >/dev/null 2>&1; then
  echo "build-oracle: the Go toolchain is not on PATH; the oracle needs Go >= 1.26 (see conformance/README.md)" >&2
  exit 2
fi

cd "$oracle"
mkdir -p bin
# -mod=readonly: go.mod/go.sum are the pinned dependency set; never rewrite them in CI.
go build -mod=readonly -trimpath -buildvcs=false -o bin/oracle .
