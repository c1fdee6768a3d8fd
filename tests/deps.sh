#!/bin/sh
# Installs the Debian packages named as arguments when any is missing and
# we are root; otherwise says what to install and fails (with --optional,
# packages only some tests need: says so and goes on).
optional=0
if [ "${1:-}" = "--optional" ]; then optional=1; shift; fi
missing=""
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" -ne 0 ] && [ $optional -eq 1 ]; then
	echo "the tests that need these Debian packages will be skipped:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
	echo "skuscan needs these Debian packages:$missing" >&2
	echo "install them with: sudo apt-get install$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get install -y -q $missing >/dev/null 2>&1 ||
	{ apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null; } ||
	{ echo "apt-get could not install:$missing" >&2; exit 1; }
