# Nothing is published (OUTDIR's own .skuscan directory may stay): the 300 rows classified
# before the failure leave no report.
if [ -e "$OUTDIR" ] && [ -n "$(ls "$OUTDIR")" ]; then
	echo "OUTDIR holds: $(ls "$OUTDIR" | tr '\n' ' ')"
	exit 1
fi
