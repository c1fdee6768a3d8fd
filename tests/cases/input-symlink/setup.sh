#!/bin/bash
set -e
ln -s subscriptions.csv latest.csv
