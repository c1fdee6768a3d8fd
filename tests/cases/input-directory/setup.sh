#!/bin/bash
set -e
mkdir -p exports
