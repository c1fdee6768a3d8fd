#!/bin/bash
set -e
printf "not a directory\n" > "$OUTDIR"
