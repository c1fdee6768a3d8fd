#!/bin/bash
set -e
printf "x\n" > blocker
ln -s "$PWD/blocker/out" "$OUTDIR"
