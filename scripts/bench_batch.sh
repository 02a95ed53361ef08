#!/usr/bin/env bash
# Batch scaling and memory benchmarks for docs/benchmarks/batch.md.
#
#   scripts/bench_batch.sh [all|scale|huge|small]
#
# - scale: a 1 GB corpus of ~1 MB files (rotations of ../shared/corpora/*-cn.txt) converted with
#          -j 1 and -j 2 into --out-dir; wall time, throughput, speed-up and peak RSS.
# - huge:  a 500 MB file that is one single line, and a 2 GB file of normal lines: peak RSS.
# - small: 10,000 small files converted in place: `zhfix convert -c s2t --in-place DIR` against
#          a shell loop over Debian's `opencc` (apt-get install opencc), as a ratio.
#
# Environment: ZHFIX (binary, default target/release/zhfix, built if missing), WORK (scratch,
# default /tmp/zhfix-bench, removed at the end unless KEEP=1), CMD (the per-file command,
# default "convert -c s2t"; e.g. "fix --to zh-Hant" once fix exists), REPEAT (runs per
# measurement, best kept; default 2), NICE (e.g. -20: run the measured commands at that
# priority, so that other tenants of a shared machine distort the -j comparison less).
# AUTOGROUP_NICE (e.g. -20): Linux with sched_autogroup gives every session an equal share of
# the CPUs whatever its thread count, so on a machine shared with other busy sessions `-j 2`
# cannot get more CPU than `-j 1`; this runs the script in a session of its own whose autogroup
# has that nice value (root only), so that the -j comparison measures zhfix, not the neighbours.
set -euo pipefail
if [ -n "${AUTOGROUP_NICE:-}" ] && [ -z "${_ZHFIX_BENCH_INNER:-}" ] && [ -w /proc/self/autogroup ]; then
  exec setsid env _ZHFIX_BENCH_INNER=1 bash -c 'echo "$AUTOGROUP_NICE" > /proc/$$/autogroup && exec "$0" "$@"' "$0" "$@"
fi
cd "$(dirname "$0")/.."
ROOT=$PWD
# ../shared beside the checkout (CI layout), or beside a worktree's parent.
if [ -z "${SHARED:-}" ]; then
  for SHARED in "$ROOT/../shared" "$ROOT/../../shared"; do [ -d "$SHARED/corpora" ] && break; done
fi
CORPORA=$SHARED/corpora
ZHFIX=${ZHFIX:-$ROOT/target/release/zhfix}
WORK=${WORK:-/tmp/zhfix-bench}
CMD=${CMD:-convert -c s2t}
REPEAT=${REPEAT:-2}
WHAT=${1:-all}
read -r -a CMDV <<< "$CMD"

[ -d "$CORPORA" ] || { echo "no $CORPORA: the shared corpora are needed" >&2; exit 1; }
if [ ! -x "$ZHFIX" ]; then cargo build --release; fi
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
mkdir -p "$WORK"
cleanup() { [ "${KEEP:-0}" = 1 ] || rm -rf "$WORK"; }
trap cleanup EXIT

# measure CMD...: runs CMD with /usr/bin/time -v, prints "wall_s cpu_s rss_kb" (cpu = user+sys).
measure() {
  local t="$WORK/time.txt"
  local prio=()
  [ -n "${NICE:-}" ] && prio=(nice -n "$NICE")
  "${prio[@]}" /usr/bin/time -v -o "$t" "$@" >/dev/null 2>"$WORK/stderr.txt" || {
    local rc=$?
    # exit 1 is --check's "would change"; anything else is a failure.
    [ $rc = 1 ] || { cat "$WORK/stderr.txt" >&2; echo "failed: $*" >&2; exit 1; }
  }
  local wall rss cpu
  cpu=$(awk -F': ' '/User time|System time/ {s+=$2} END {printf "%.1f", s}' "$t")
  wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; print s}' "$t")
  rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$t")
  echo "$wall $cpu $rss"
}

best_of() { # best_of SETUP_FN CMD... -> "wall cpu rss" of the fastest run
  local setup=$1; shift
  local best="" r
  for _ in $(seq "$REPEAT"); do
    $setup
    r=$(measure "$@")
    if [ -z "$best" ] || awk -v a="${r%% *}" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then best=$r; fi
  done
  echo "$best"
}

# cols BYTES "wall cpu rss" -> "wall | cpu | MB/s | RSS MB"
cols() {
  local wall cpu rss
  read -r wall cpu rss <<< "$2"
  echo "$wall | $cpu | $(mbps "$1" "$wall") | $((rss / 1024))"
}

mbps() { awk -v b="$1" -v s="$2" 'BEGIN{printf "%.1f", b/1e6/s}'; }

echo "# zhfix batch benchmarks: $(date -u +%FT%TZ), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $("$ZHFIX" --version), CMD='$CMD', NICE='${NICE:-}', autogroup: $(cat /proc/self/autogroup 2>/dev/null)"

scale() {
  local corpus=$WORK/corpus
  if [ ! -d "$corpus" ]; then
    echo "generating 1 GB corpus in $corpus ..." >&2
    local src=$WORK/src.txt
    cat "$CORPORA"/*-cn.txt > "$src"
    local n; n=$(wc -l < "$src")
    local size; size=$(stat -c %s "$src")
    local files=$(( (1000000000 + size - 1) / size ))
    for i in $(seq 0 $((files - 1))); do
      local d="$corpus/d$((i % 10))/e$((i % 7))"
      mkdir -p "$d"
      local k=$(( (i * 7919) % n + 1 ))
      { tail -n +"$k" "$src"; head -n "$((k - 1))" "$src"; } > "$d/f$i.txt"
    done
  fi
  local bytes; bytes=$(du -sb "$corpus" | cut -f1)
  local nfiles; nfiles=$(find "$corpus" -type f | wc -l)
  cat "$corpus"/*/*/* > /dev/null # warm the page cache
  reset_out() { rm -rf "$WORK/out"; sync; }
  echo
  echo "## 1 GB corpus: $nfiles files, $bytes bytes"
  echo
  echo "| command | wall s | CPU s (user+sys) | MB/s | peak RSS MB |"
  echo "|---|---|---|---|---|"
  local r1 r2
  r1=$(best_of reset_out "$ZHFIX" "${CMDV[@]}" -q -j 1 --out-dir "$WORK/out" "$corpus")
  echo "| \`zhfix $CMD -q -j 1 --out-dir OUT corpus\` | $(cols "$bytes" "$r1") |"
  r2=$(best_of reset_out "$ZHFIX" "${CMDV[@]}" -q -j 2 --out-dir "$WORK/out" "$corpus")
  echo "| \`zhfix $CMD -q -j 2 --out-dir OUT corpus\` | $(cols "$bytes" "$r2") |"
  local c1 c2
  c1=$(best_of true "$ZHFIX" "${CMDV[@]}" -q -j 1 --check "$corpus")
  echo "| \`zhfix $CMD -q -j 1 --check corpus\` | $(cols "$bytes" "$c1") |"
  c2=$(best_of true "$ZHFIX" "${CMDV[@]}" -q -j 2 --check "$corpus")
  echo "| \`zhfix $CMD -q -j 2 --check corpus\` | $(cols "$bytes" "$c2") |"
  echo
  echo "speed-up -j 2 / -j 1: --out-dir $(awk -v a="${r1%% *}" -v b="${r2%% *}" 'BEGIN{printf "%.2fx", a/b}'), --check $(awk -v a="${c1%% *}" -v b="${c2%% *}" 'BEGIN{printf "%.2fx", a/b}')"
  rm -rf "$WORK/out"
}

huge() {
  local one=$WORK/one-line.txt big=$WORK/two-gb.txt
  local src=$WORK/src.txt
  cat "$CORPORA"/*-cn.txt > "$src"
  if [ ! -f "$one" ]; then
    echo "generating 500 MB single-line file ..." >&2
    tr -d '\n\r' < "$src" > "$WORK/flat.txt"
    local size; size=$(stat -c %s "$WORK/flat.txt")
    for _ in $(seq $(( (500000000 + size - 1) / size ))); do cat "$WORK/flat.txt"; done > "$one"
    rm "$WORK/flat.txt"
  fi
  if [ ! -f "$big" ]; then
    echo "generating 2 GB file of normal lines ..." >&2
    local size; size=$(stat -c %s "$src")
    for _ in $(seq $(( (2000000000 + size - 1) / size ))); do cat "$src"; done > "$big"
  fi
  echo
  echo "## Huge inputs (streamed; output to /dev/null)"
  echo
  echo "| input | command | wall s | CPU s | MB/s | peak RSS MB |"
  echo "|---|---|---|---|---|---|"
  local f r bytes
  for f in "$one" "$big"; do
    bytes=$(stat -c %s "$f")
    r=$(measure "$ZHFIX" "${CMDV[@]}" "$f")
    echo "| $(basename "$f") ($bytes B) | \`zhfix $CMD FILE > /dev/null\` | $(cols "$bytes" "$r") |"
    r=$(measure sh -c "\"\$0\" $CMD < \"\$1\"" "$ZHFIX" "$f")
    echo "| $(basename "$f") | \`zhfix $CMD < FILE > /dev/null\` (filter) | $(cols "$bytes" "$r") |"
  done
  # A 2 GB JSONL shard, gzip-compressed, streamed through --jsonl.
  echo "generating JSONL shard ..." >&2
  local shard=$WORK/shard.jsonl.gz
  head -c 300000000 "$big" | python3 -c '
import json, sys
for i, line in enumerate(sys.stdin.buffer):
    sys.stdout.write(json.dumps({"id": i, "text": line.decode("utf-8", "replace").rstrip("\n"), "score": 0.5}, ensure_ascii=False) + "\n")
' | gzip -1 > "$shard"
  local gz; gz=$(stat -c %s "$shard")
  bytes=$(gzip -dc "$shard" | wc -c)
  r=$(measure "$ZHFIX" "${CMDV[@]}" --jsonl -q --out-dir "$WORK/jout" "$shard")
  echo "| shard.jsonl.gz ($gz B gz, $bytes B JSONL) | \`zhfix $CMD --jsonl --out-dir OUT shard.jsonl.gz\` | $(cols "$bytes" "$r") |"
  rm -rf "$WORK/jout" "$one" "$big" "$shard"
}

small() {
  local src=$WORK/src.txt seed=$WORK/small-seed
  cat "$CORPORA"/*-cn.txt > "$src"
  rm -rf "$seed"; mkdir -p "$seed"
  (cd "$seed" && split -n l/10000 -a 5 -d --additional-suffix=.txt "$src" f)
  local nfiles; nfiles=$(find "$seed" -type f | wc -l)
  local bytes; bytes=$(du -sb "$seed" | cut -f1)
  local OPENCC=/usr/bin/opencc
  if [ ! -x "$OPENCC" ]; then
    apt-get update -qq >/dev/null && apt-get install -y -qq opencc >/dev/null
  fi
  local cfg=s2t.json
  fresh() { rm -rf "$WORK/small"; cp -r "$seed" "$WORK/small"; sync; }
  cat > "$WORK/opencc-loop.sh" <<LOOP
#!/bin/sh
for f in "\$1"/*.txt; do
  $OPENCC -c $cfg -i "\$f" -o "\$f.tmp" && mv "\$f.tmp" "\$f"
done
LOOP
  chmod +x "$WORK/opencc-loop.sh"
  echo
  echo "## 10,000 small files in place: $nfiles files, $bytes bytes"
  echo
  echo "| command | wall s | CPU s | files/s |"
  echo "|---|---|---|---|"
  local z o
  z=$(best_of fresh "$ZHFIX" "${CMDV[@]}" -q --in-place "$WORK/small")
  echo "| \`zhfix $CMD -q --in-place DIR\` (-j 2) | ${z%% *} | $(echo "$z" | cut -d' ' -f2) | $(awk -v n="$nfiles" -v s="${z%% *}" 'BEGIN{printf "%.0f", n/s}') |"
  cp -r "$WORK/small" "$WORK/small-zhfix"
  if [ "${SKIP_OPENCC:-0}" = 1 ]; then rm -rf "$WORK/small" "$WORK/small-zhfix" "$seed"; return; fi
  o=$(REPEAT=1 best_of fresh "$WORK/opencc-loop.sh" "$WORK/small")
  echo "| \`for f in DIR/*.txt; do opencc -c $cfg -i \$f -o \$f.tmp && mv \$f.tmp \$f; done\` (Debian opencc $(dpkg-query -W -f '${Version}' opencc 2>/dev/null)) | ${o%% *} | $(echo "$o" | cut -d' ' -f2) | $(awk -v n="$nfiles" -v s="${o%% *}" 'BEGIN{printf "%.0f", n/s}') |"
  echo
  echo "ratio (opencc loop / zhfix): $(awk -v a="${o%% *}" -v b="${z%% *}" 'BEGIN{printf "%.0fx", a/b}')"
  local differ; differ=$(diff -rq "$WORK/small" "$WORK/small-zhfix" | wc -l || true)
  echo "files whose output differs between the two: $differ of $nfiles"
  rm -rf "$WORK/small" "$WORK/small-zhfix" "$seed"
}

case "$WHAT" in
  scale) scale ;;
  huge) huge ;;
  small) small ;;
  all) scale; huge; small ;;
  *) echo "usage: $0 [all|scale|huge|small]" >&2; exit 2 ;;
esac
