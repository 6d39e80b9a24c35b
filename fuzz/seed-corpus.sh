#!/bin/sh
# Fills corpus/<target>/ (git-ignored) with seed inputs:
#   decode_event   the `body` of every fixture in ../fixtures (needs python3)
#   fixture_load   every fixture file in ../fixtures
#   verify_headers the signed deliveries in seeds/verify_headers
#   and, for each target, the inputs in regressions/<target>/
set -eu
cd "$(dirname "$0")"
mkdir -p corpus/decode_event corpus/fixture_load corpus/verify_headers
cp seeds/verify_headers/* corpus/verify_headers/
# Inputs of fixed bugs are good starting points too.
for d in regressions/*/; do
    t="$(basename "$d")"
    mkdir -p "corpus/$t"
    cp "$d"* "corpus/$t/"
done
for f in ../fixtures/*/*.json; do
    cp "$f" "corpus/fixture_load/$(basename "$(dirname "$f")")_$(basename "$f")"
done
python3 - <<'PY'
import glob, json, os
for path in sorted(glob.glob("../fixtures/*/*.json")):
    fixture = json.load(open(path))
    if "body" in fixture:
        name = os.path.basename(os.path.dirname(path)) + "_" + os.path.basename(path)
        with open(os.path.join("corpus/decode_event", name), "w") as out:
            json.dump(fixture["body"], out, separators=(",", ":"))
PY
