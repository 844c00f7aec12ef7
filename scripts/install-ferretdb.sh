#!/usr/bin/env bash
# Builds FerretDB v1 (the development database) into $(go env GOPATH)/bin when Go is present and
# the binary is missing. A plain `go install ...@v1.24.2` builds a binary that panics at start-up,
# because the module zip lacks the generated build/version/version.txt; so we build the same module
# source with that file written in.
set -euo pipefail
VERSION=v1.24.2
export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "db:install: Go is not installed; the launcher will use mongod, MONGODB_URI or mongodb-memory-server." >&2
  exit 0
fi
BIN_DIR="$(go env GOBIN)"
[ -n "$BIN_DIR" ] || BIN_DIR="$(go env GOPATH)/bin"
TARGET="$BIN_DIR/ferretdb"
if [ -x "$TARGET" ] && "$TARGET" --version 2>/dev/null | grep -q "version: $VERSION"; then
  echo "db:install: FerretDB $VERSION already at $TARGET"
  exit 0
fi
echo "db:install: building FerretDB $VERSION into $TARGET"
MODULE_DIR="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT
cp -r "$MODULE_DIR/." "$WORK_DIR/"
chmod -R u+w "$WORK_DIR"
echo "$VERSION" > "$WORK_DIR/build/version/version.txt"
mkdir -p "$BIN_DIR"
(cd "$WORK_DIR" && GOFLAGS=-mod=mod go build -trimpath -o "$TARGET" ./cmd/ferretdb)
"$TARGET" --version | head -1
