/*
 * rules: the retired and replacement offers, as PCRE2 patterns read from a
 * rules CSV (id,kind,pattern,family,suggest) or built in. Classification
 * is first match wins, on the offer name then the offer id for each rule,
 * and is memoised per distinct text, so a file of millions of rows with a
 * few dozen distinct offers runs the patterns a few dozen times.
 *
 * struct rules owns everything it holds; rules_free releases it.
 */
#ifndef SKUSCAN_RULES_H
#define SKUSCAN_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/*
 * A rule's kind: a retired offer of the notice, one of its replacements,
 * or another current offer whose seats pool with theirs (the same product
 * bought at full price, say).
 */
enum rule_kind { RULE_RETIRED, RULE_REPLACEMENT, RULE_OTHER };

struct rule {
	char *id;
	enum rule_kind kind;
	char *pattern;
	char *family;
	size_t family_index;	/* index into rules->family */
	size_t *suggest;	/* replacement rule indexes, best first */
	size_t nsuggest;
	/*
	 * The license items (product names, SKU part numbers) its seats are
	 * assigned as: the rules file's products column, ';'-separated.
	 * Rules that share an item provide one product: one pool of seats
	 * in a tenant. pool is that pool's index (a rule that lists no item
	 * is a pool of its own).
	 */
	char *products;
	size_t pool;
	uint64_t line;
};

struct rules;

/*
 * Load the rules file at path, or the built-in rules when path is NULL.
 * Returns 0, or -1 with d naming the file, the line, the rule and (for a
 * pattern) PCRE2's message and offset.
 */
int rules_load(struct rules **r, const char *path, struct diag *d);
void rules_free(struct rules *r);

/* The built-in rules as a rules CSV (what --print-rules writes). */
const char *rules_builtin_text(size_t *len);

/* At most this many rules (the ledger keeps a rule's index in 24 bits). */
#define RULES_MAX 16777215

size_t rules_count(const struct rules *r);
const struct rule *rules_get(const struct rules *r, size_t i);
/* Distinct families, in order of first appearance. */
size_t rules_family_count(const struct rules *r);
const char *rules_family(const struct rules *r, size_t i);
enum rule_kind rules_family_kind(const struct rules *r, size_t i);
/* "retired", "replacement" or "other". */
const char *rules_kind_word(enum rule_kind kind);
/* Pools of seats (see struct rule's products): indexes 0 .. count - 1. */
size_t rules_pool_count(const struct rules *r);
/*
 * The pool of the product a license item names, compared without regard
 * to case and white space; -1 when no rule lists it.
 */
int rules_item_pool(const struct rules *r, const char *item, size_t n);
/* "builtin" or the path; bytes and CRC-32 of the rules text as stored. */
const char *rules_source(const struct rules *r);
uint64_t rules_bytes(const struct rules *r);
uint32_t rules_crc(const struct rules *r);
/*
 * True when the patterns run JIT-compiled: all of them, compiled once by
 * rules_load; false when PCRE2 has no JIT here and interprets them all.
 */
bool rules_jit_used(const struct rules *r);

/*
 * The index of the first rule whose pattern matches name, or else id (id
 * may be NULL or empty); -1 when none does. Returns 0, or -1 with d filled
 * when PCRE2 fails: never reads that as "no match". A match may take
 * 100,000 steps and 16 more a byte of the text (PCRE2's match and depth
 * limits, the same whether its JIT runs or not); a pattern that needs
 * more "gives up". d's message names the rule, the rules file and the
 * rule's line and quotes the text; d names no file, as the text's own
 * file and line are the caller's.
 */
int rules_classify(struct rules *r, const char *name, size_t nlen, const char *id,
    size_t idlen, int *rule, struct diag *d);

/*
 * A classifier holds one thread's matching state (match data and memo);
 * threads share the rules, each with its own classifier. The rules must
 * outlive it.
 */
struct classifier;
struct classifier *rules_classifier_new(const struct rules *r);
void rules_classifier_free(struct classifier *c);
/* rules_classify with the given classifier's state. */
int rules_classify_with(struct classifier *c, const char *name, size_t nlen, const char *id,
    size_t idlen, int *rule, struct diag *d);

#endif
