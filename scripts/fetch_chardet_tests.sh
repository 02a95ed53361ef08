#!/bin/sh
# Fetches chardet's test files (real files in many encodings, none written here) into eval/,
# which git ignores. Needs pip and the network; nothing in CI depends on it.
set -eu
cd "$(dirname "$0")/.."
mkdir -p eval
cd eval
if [ ! -d chardet-6.0.0.post1 ]; then
    pip download --no-binary :all: --no-deps chardet==6.0.0.post1
    tar xzf chardet-6.0.0.post1.tar.gz
fi
echo "eval/chardet-6.0.0.post1/tests"
