#!/bin/sh
# Regenerate the arm64 tables and vectors into a temporary copy and compare
# them with the checked-in files. Needs Go 1.27.3 on PATH.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
python3 "$here/generate.py" --out "$tmp/tables_gen.rs" --sve-out "$tmp/sve_gen.rs" >/dev/null
corpus=${GOASM_ARM64_CORPUS:-$HOME/.cache/goasm-ci/go1.27.3/corpus-arm64/manifest.json}
if [ -f "$corpus" ]; then
    python3 "$here/vectors.py" --out "$tmp/testdata" --corpus "$corpus" >/dev/null
else
    echo "arm64: no std corpus at $corpus; std.progs not checked" >&2
    python3 "$here/vectors.py" --out "$tmp/testdata" >/dev/null
    cp "$here/../testdata/std.progs" "$tmp/testdata/"
fi
status=0
for f in tables_gen.rs sve_gen.rs; do
    cmp -s "$here/../$f" "$tmp/$f" || { echo "arm64: $f is out of date; run gen/generate.py" >&2; status=1; }
done
for f in "$tmp"/testdata/*.progs; do
    cmp -s "$here/../testdata/$(basename "$f")" "$f" || { echo "arm64: testdata/$(basename "$f") is out of date; run gen/vectors.py" >&2; status=1; }
done
[ $status = 0 ] && echo "arm64: generated files are up to date"
exit $status
