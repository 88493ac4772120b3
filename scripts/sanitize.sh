#!/usr/bin/env bash
# The decoder under AddressSanitizer + UndefinedBehaviorSanitizer.
#
# Builds csrc/iread.c with -fsanitize=address,undefined into a small C driver
# (scripts/sanitize_driver.c) and feeds it the golden streams, every truncation and
# single-byte mutation of them, and random buffers at odd alignments.  Any report aborts
# with a non-zero exit.  Usage: bash scripts/sanitize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
out="$(mktemp -d)"
cc -std=c11 -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
   -fno-sanitize-recover=all -Wall -Wextra -Werror -Icsrc \
   csrc/iread.c scripts/sanitize_driver.c -o "$out/driver"
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1 "$out/driver"
