/*
 * check: a tiny unit-test framework. A failed check prints file:line and
 * what was expected, is counted, and the suite goes on; test_main.c prints
 * the totals and sets the exit status.
 */
#ifndef SKUSCAN_CHECK_H
#define SKUSCAN_CHECK_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern unsigned long check_passed, check_failed;

/* Counts one check; prints the failure when ok is false. Returns ok. */
static inline int
check_note(int ok, const char *file, int line, const char *what)
{
	if (ok) {
		check_passed++;
	} else {
		check_failed++;
		fprintf(stderr, "FAIL %s:%d: %s\n", file, line, what);
	}
	return ok;
}

#define CHECK(cond) check_note((cond) != 0, __FILE__, __LINE__, #cond)

/* A number below n from the xorshift64 state *s (not 0): the same in every run. */
static inline unsigned
check_random(uint64_t *s, unsigned n)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return (unsigned)(*s % n);
}

/* NUL-terminated strings; NULL compares equal only to NULL. */
#define CHECK_STR_EQ(a, b) do {							\
	const char *check_a_ = (a), *check_b_ = (b);				\
	int check_ok_ = (check_a_ == NULL || check_b_ == NULL) ?		\
	    check_a_ == check_b_ : strcmp(check_a_, check_b_) == 0;		\
	if (!check_note(check_ok_, __FILE__, __LINE__, #a " == " #b))		\
		fprintf(stderr, "     got \"%s\", expected \"%s\"\n",		\
		    check_a_ ? check_a_ : "(null)", check_b_ ? check_b_ : "(null)"); \
} while (0)

/* The first n bytes at a against the NUL-terminated b. */
#define CHECK_MEM_EQ(a, n, b) do {						\
	const char *check_a_ = (a), *check_b_ = (b);				\
	size_t check_n_ = (n);							\
	int check_ok_ = check_n_ == strlen(check_b_) &&			\
	    memcmp(check_a_, check_b_, check_n_) == 0;				\
	if (!check_note(check_ok_, __FILE__, __LINE__, #a " == " #b))		\
		fprintf(stderr, "     got \"%.*s\", expected \"%s\"\n",		\
		    (int)check_n_, check_a_, check_b_);				\
} while (0)

#define CHECK_INT_EQ(a, b) do {							\
	intmax_t check_a_ = (intmax_t)(a), check_b_ = (intmax_t)(b);		\
	if (!check_note(check_a_ == check_b_, __FILE__, __LINE__, #a " == " #b)) \
		fprintf(stderr, "     got %jd, expected %jd\n", check_a_, check_b_); \
} while (0)

/* Substring test, for messages. */
#define CHECK_CONTAINS(hay, needle) do {					\
	const char *check_h_ = (hay), *check_n_ = (needle);			\
	if (!check_note(check_h_ != NULL && strstr(check_h_, check_n_) != NULL,	\
	    __FILE__, __LINE__, #hay " contains " #needle))			\
		fprintf(stderr, "     \"%s\" lacks \"%s\"\n",			\
		    check_h_ ? check_h_ : "(null)", check_n_);			\
} while (0)

#endif
