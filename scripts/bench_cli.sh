#!/bin/bash
# Task-clock of one large file through the CLI, two builds side by side (docs/benchmarks/batch.md).
#
#   scripts/bench_cli.sh OLD_ZHFIX NEW_ZHFIX FILE [RUNS]
#
# Prints `command|old ms|new ms|speed-up` per command; each figure is `perf stat -r RUNS -e
# task-clock` (all threads), the builds alternating. Build OLD from another worktree, e.g.
#   git worktree add /tmp/old REV && (cd /tmp/old && cargo build --release)
set -euo pipefail
old=$1 new=$2 file=$3 runs=${4:-10}
clock() { perf stat -r "$runs" -e task-clock "$@" 2>&1 >/dev/null | awk '/task-clock/ {print $1}'; }
for cmd in "fix" "fix --to zh-TW" "fix --to zh-Hans" "fix --all --to zh-Hans --punct zh-Hans" \
    "convert -c s2t" "convert -c s2twp"; do
    # shellcheck disable=SC2086 # the command's words split on purpose
    a=$(clock "$old" $cmd "$file")
    # shellcheck disable=SC2086
    b=$(clock "$new" $cmd "$file")
    echo "$cmd|$a|$b|$(echo "$a / $b" | bc -l | cut -c1-4)x"
done
a=$(clock sh -c "\"$old\" convert -c s2t < \"$file\"")
b=$(clock sh -c "\"$new\" convert -c s2t < \"$file\"")
echo "convert -c s2t < FILE|$a|$b|$(echo "$a / $b" | bc -l | cut -c1-4)x"
