/* test_main: runs every unit suite and prints the totals last. */
#include <stdio.h>

#include "check.h"

/* Every suite: tests/unit/test_NAME.c defines test_NAME (the Makefile lists them). */
#define SUITE(name) void test_##name(void);
#include "suites.h"
#undef SUITE

unsigned long check_passed, check_failed;

int
main(void)
{
	static const struct {
		const char *name;
		void (*run)(void);
	} suites[] = {
#define SUITE(name) { #name, test_##name },
#include "suites.h"
#undef SUITE
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
