#!/usr/bin/env bash
# Builds both SDK templates with their one documented command, through
# `agentcore plugin new`, and checks them and the built-ins with
# `agentcore plugin check`. Run after `swift build`.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=.build/debug/agentcore
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

for so in .build/debug/libagentcore-builtin-*.so; do
    "$bin" plugin check "$so" > /dev/null
    echo "plugin check ok: $so"
done

"$bin" plugin new demo-c --lang c --dir "$work/demo-c"
make -C "$work/demo-c"
"$bin" plugin check "$work/demo-c/libdemo-c.so" > /dev/null
echo "plugin check ok: C template"

"$bin" plugin new demo-swift --lang swift --dir "$work/demo-swift"
(cd "$work/demo-swift" && swift build -c release)
"$bin" plugin check "$work/demo-swift/.build/release/libdemo-swift.so" > /dev/null
echo "plugin check ok: Swift template"
