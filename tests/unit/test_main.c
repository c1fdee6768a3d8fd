/* test_main: runs every unit suite and prints the totals last. */
#include <stdio.h>

#include "check.h"

unsigned long check_passed, check_failed;

int
main(void)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} suites[] = {
		{ "values", test_values },
		{ "text", test_text },
		{ "header", test_header },
		{ "rules", test_rules },
		{ "items", test_items },
		{ "records", test_records },
		{ "ledger", test_ledger },
		{ "crc", test_crc },
		{ "strmap", test_strmap },
		{ "inflate", test_inflate },
		{ "sort", test_sort },
		{ "input", test_input },
	};

	for (size_t i = 0; i < sizeof(suites) / sizeof(suites[0]); i++) {
		unsigned long failed = check_failed;

		suites[i].run();
		if (check_failed > failed)
			fprintf(stderr, "suite %s: %lu failed\n", suites[i].name,
			    check_failed - failed);
	}
	fflush(stderr);
	printf("unit: %lu passed, %lu failed\n", check_passed, check_failed);
	return check_failed > 0 ? 1 : 0;
}
