#!/usr/bin/env bash
# Builds FerretDB v1 (the development database) into Go's bin directory ($GOBIN, else the first
# GOPATH entry's bin) when Go is present and that binary is missing or another version. A plain
# `go install ...@v1.24.2` builds a binary that panics at start-up, because the module zip lacks the
# generated build/version/version.txt; so we build the same module source with that file written in.
#
# Never pipe a command into a reader that may exit early (`grep -q`, `head -1`) in this script: under
# pipefail the writer's SIGPIPE (exit 141) fails the pipeline whenever the reader wins the race.
set -euo pipefail
VERSION=v1.24.2
export PATH="$PATH:/usr/local/go/bin"
if ! command -v go >/dev/null 2>&1; then
  echo "db:install: Go is not installed; the launcher will use mongod, MONGODB_URI or mongodb-memory-server." >&2
  exit 0
fi

# One `go env` call prints GOBIN then GOPATH, one per line (GOBIN's line is empty when unset).
GO_ENV="$(go env GOBIN GOPATH)"
GOBIN_DIR="${GO_ENV%%$'\n'*}"
GOPATH_LIST="${GO_ENV#*$'\n'}"
# GOPATH may list several directories; `go install` uses the first one's bin.
BIN_DIR="${GOBIN_DIR:-${GOPATH_LIST%%:*}/bin}"
TARGET="$BIN_DIR/ferretdb"

# Prints the version the binary at $1 reports ("v1.24.2"), or nothing when it cannot run.
installed_version() {
  local output line
  output="$("$1" --version 2>/dev/null)" || return 0
  while IFS= read -r line; do
    if [[ "$line" == "version: "* ]]; then
      echo "${line#version: }"
      return 0
    fi
  done <<<"$output"
}

if [ -x "$TARGET" ] && [ "$(installed_version "$TARGET")" = "$VERSION" ]; then
  echo "db:install: FerretDB $VERSION already at $TARGET"
  exit 0
fi

echo "db:install: building FerretDB $VERSION into $TARGET"
DOWNLOAD_JSON="$(go mod download -json "github.com/FerretDB/FerretDB@$VERSION")"
MODULE_DIR="$(sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p' <<<"$DOWNLOAD_JSON")"
[ -d "$MODULE_DIR" ] || { echo "db:install: go mod download gave no module directory" >&2; exit 1; }
WORK_DIR="$(mktemp -d)"
trap 'rm -rf "$WORK_DIR"' EXIT
cp -r "$MODULE_DIR/." "$WORK_DIR/"
chmod -R u+w "$WORK_DIR"
echo "$VERSION" > "$WORK_DIR/build/version/version.txt"
mkdir -p "$BIN_DIR"
(cd "$WORK_DIR" && GOFLAGS=-mod=mod go build -trimpath -o "$TARGET" ./cmd/ferretdb)
BUILT="$(installed_version "$TARGET")"
if [ "$BUILT" != "$VERSION" ]; then
  echo "db:install: the built $TARGET reports version '${BUILT}', expected $VERSION" >&2
  exit 1
fi
echo "db:install: built FerretDB $VERSION at $TARGET"
