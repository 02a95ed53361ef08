#!/usr/bin/env bash
# Pathological input sizes for `zhfix fix` and `zhfix convert` (release build): peak RSS and
# wall time from /usr/bin/time -v. Prints a Markdown table (docs/reliability.md).
#
#   scripts/pathological.sh [WORKDIR]        # default: a fresh mktemp -d, removed at the end
#
# Inputs: a 100 MB single line; 10 million tiny lines; a directory tree 1,000 levels deep
# (one file at every level); an empty file; a file that is only a UTF-8 BOM. Each command is
# stopped after $LIMIT seconds (default 300): exit 124 in the table.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${BIN:-}" ]; then
  cargo build --release --quiet
  BIN="$PWD/target/release/zhfix"
fi
WORK="${1:-$(mktemp -d)}"
CLEAN=${1:+no}
mkdir -p "$WORK"
trap '[ "${CLEAN:-yes}" = yes ] && rm -rf "$WORK"' EXIT

# 100 MB in one line (no newline at all).
python3 - "$WORK/line100m.txt" <<'EOF'
import sys
unit = "后台软件的发展和汉字简体，我们说：“云计算的时代已经来了！”".encode()
n = 100_000_000 // len(unit)  # whole units: valid UTF-8, just under 100 MB
with open(sys.argv[1], "wb") as f:
    f.write(unit * n)
EOF
# 10 million tiny lines ("汉\n": 4 bytes each).
python3 - "$WORK/tiny10m.txt" <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write("汉\n".encode() * 10_000_000)
EOF
# A tree 1,000 directories deep, one file per level.
python3 - "$WORK/deep" <<'EOF'
import os, sys
p = sys.argv[1]
for i in range(1000):
    p = os.path.join(p, "d")
    os.makedirs(p, exist_ok=True)
    with open(os.path.join(p, f"f{i}.txt"), "w") as f:
        f.write("汉字\n")
EOF
: > "$WORK/empty.txt"
printf '\xef\xbb\xbf' > "$WORK/bom.txt"

measure() { # label, then the command
  local label=$1; shift
  local log; log=$(mktemp)
  local rc=0
  /usr/bin/time -v timeout "${LIMIT:-300}" "$@" > /dev/null 2> "$log" || rc=$?
  local rss wall
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$log")
  printf '| %s | `zhfix %s` | %s | %s MiB | %s |\n' "$label" "${*:2}" "$wall" "$((rss / 1024))" "$rc"
  rm -f "$log"
}

echo "| input | command | wall time | peak RSS | exit |"
echo "|---|---|---|---|---|"
for cmd in "fix --to zh-Hant" "convert -c s2t"; do
  # shellcheck disable=SC2086
  {
    measure "100 MB single line" "$BIN" $cmd "$WORK/line100m.txt"
    measure "10 M tiny lines (40 MB)" "$BIN" $cmd "$WORK/tiny10m.txt"
    cp "$WORK/tiny10m.txt" "$WORK/tiny10m-inplace.txt"
    measure "10 M tiny lines, --in-place" "$BIN" $cmd --in-place -q "$WORK/tiny10m-inplace.txt"
    measure "tree 1,000 levels deep" "$BIN" $cmd -q --out-dir "$WORK/out-${cmd%% *}" "$WORK/deep"
    measure "empty file" "$BIN" $cmd "$WORK/empty.txt"
    measure "only a BOM" "$BIN" $cmd "$WORK/bom.txt"
  }
done
# The outputs of the tiny inputs, byte for byte.
for cmd in "fix --to zh-Hant" "convert -c s2t"; do
  # shellcheck disable=SC2086
  printf 'empty -> %s bytes, BOM -> %s (%s)\n' \
    "$("$BIN" $cmd "$WORK/empty.txt" | wc -c)" \
    "$("$BIN" $cmd "$WORK/bom.txt" | od -An -tx1 | tr -d ' ')" "$cmd"
done
