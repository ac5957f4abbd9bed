#!/usr/bin/env bash
# Bundles the desk's text editor (CodeMirror 6) into src/editor/serve/assets/codemirror.js,
# from the exact packages pinned in package-lock.json. The bundle is committed: building
# kanwu needs no Node. Run this after changing a version in package.json (then `npm install`
# to update the lock) and commit the bundle with the lock. The same lock gives the same bytes.
set -euo pipefail
cd "$(dirname "$0")"
npm ci --no-audit --no-fund --ignore-scripts
out=../../src/editor/serve/assets/codemirror.js
node_modules/.bin/esbuild entry.js --bundle --format=iife --global-name=CM --minify \
  --legal-comments=eof --charset=utf8 --target=es2020 --outfile="$out"
sha256sum "$out"
