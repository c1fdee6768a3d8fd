/*
 * fuzz_rules: the rules loader on arbitrary files. The input is written to
 * a memfd and loaded by path, as -r loads it. A file that loads must hold
 * a consistent set of rules (families of one kind, suggestions that name
 * replacement rules) and classify a few fixed offer names, the input
 * itself and its first line, the same way twice (the memo must agree with
 * the patterns). A file that does not load must say why. Nothing may leak
 * either way.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "rules.h"

#define CHECK(c)                                                                       \
	do {                                                                           \
		if (!(c)) {                                                            \
			fprintf(stderr, "fuzz_rules: %s:%d: check failed: %s\n", __FILE__, \
			    __LINE__, #c);                                             \
			abort();                                                       \
		}                                                                      \
	} while (0)

static int memfd = -1;
static char memfd_path[64];

static void
classify(struct rules *r, const char *name, size_t nlen, const char *id, size_t idlen)
{
	struct diag d;
	int a = -7, b = -7;

	memset(&d, 0, sizeof(d));
	if (rules_classify(r, name, nlen, id, idlen, &a, &d) != 0) {
		/* A PCRE2 failure (match limit) is reported, never a miss. */
		CHECK(d.msg[0] != '\0');
		return;
	}
	CHECK(a >= -1 && a < (int)rules_count(r));
	/* The second time comes from the memo. */
	CHECK(rules_classify(r, name, nlen, id, idlen, &b, &d) == 0);
	CHECK(a == b);
}

static void
check_rules(const struct rules *r, size_t size)
{
	size_t n = rules_count(r), nf = rules_family_count(r);

	CHECK(n > 0);
	CHECK(nf > 0 && nf <= n);
	CHECK(rules_bytes(r) == size);
	CHECK(strcmp(rules_source(r), memfd_path) == 0);
	for (size_t i = 0; i < n; i++) {
		const struct rule *ru = rules_get(r, i);

		CHECK(ru->id[0] != '\0' && ru->pattern[0] != '\0' && ru->family[0] != '\0');
		CHECK(ru->family_index < nf);
		CHECK(strcmp(rules_family(r, ru->family_index), ru->family) == 0);
		CHECK(rules_family_kind(r, ru->family_index) == ru->kind);
		CHECK(ru->line >= 2);
		if (ru->kind == RULE_REPLACEMENT)
			CHECK(ru->nsuggest == 0);
		for (size_t k = 0; k < ru->nsuggest; k++) {
			CHECK(ru->suggest[k] < n);
			CHECK(rules_get(r, ru->suggest[k])->kind == RULE_REPLACEMENT);
		}
		for (size_t j = 0; j < i; j++)
			CHECK(strcmp(rules_get(r, j)->id, ru->id) != 0);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *names[] = {
		"Dynamics 365 for Sales Enterprise Edition CRMOL Basic (Qualified Offer)",
		"Dynamics 365 for Sales Professional",
		"DYN365_ENTERPRISE_PLAN1",
		"Office 365 E3",
		"",
		"\xff\xfe invalid \xc3 UTF-8 \xed\xa0\x80",
	};
	struct rules *r = NULL;
	struct diag d;
	const char *s = (const char *)data;
	const char *nl;

	if (memfd < 0) {
		memfd = memfd_create("fuzz_rules", 0);
		CHECK(memfd >= 0);
		snprintf(memfd_path, sizeof(memfd_path), "/proc/self/fd/%d", memfd);
	}
	CHECK(ftruncate(memfd, 0) == 0);
	CHECK(size == 0 || pwrite(memfd, data, size, 0) == (ssize_t)size);
	memset(&d, 0, sizeof(d));
	if (rules_load(&r, memfd_path, &d) != 0) {
		CHECK(r == NULL);
		CHECK(memchr(d.msg, '\0', sizeof(d.msg)) != NULL && d.msg[0] != '\0');
		return 0;
	}
	CHECK(r != NULL);
	check_rules(r, size);
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		classify(r, names[i], strlen(names[i]), NULL, 0);
		classify(r, "x", 1, names[i], strlen(names[i]));
	}
	classify(r, s, size, NULL, 0);
	classify(r, "Office 365 E3", 13, s, size);
	nl = memchr(s, '\n', size);
	if (nl != NULL)
		classify(r, s, (size_t)(nl - s), nl + 1, size - (size_t)(nl - s) - 1);
	rules_free(r);
	return 0;
}
