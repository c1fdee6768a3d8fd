/* items: splitting the admin center's and PowerShell's license lists. */
#include <stdbool.h>
#include <string.h>

#include "items.h"
#include "text.h"

static bool
alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* Length of a "tenant:" prefix at s (including the colon), or 0. */
static size_t
tenant_prefix(const char *s, size_t n)
{
	size_t i;

	if (n == 0 || !alnum(s[0]))
		return 0;
	for (i = 1; i < n && (alnum(s[i]) || s[i] == '-'); i++)
		;
	return (i < n && s[i] == ':') ? i + 1 : 0;
}

/* The part after a trimmed piece's tenant prefix; *had says whether it had one. */
static size_t
after_tenant(const char **s, size_t n, bool *had)
{
	size_t p;

	n = text_trim_space(s, n);
	p = tenant_prefix(*s, n);
	*s += p;
	*had = p > 0;
	return n - p;
}

/* A tenant:PART item or a bare part number (letters, digits, '_'). */
static bool
part_like(const char *s, size_t n)
{
	bool had;

	n = after_tenant(&s, n, &had);
	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!alnum(s[i]) && s[i] != '_')
			return false;
	return true;
}

/* A tenant:ITEM item, whatever the item ("ul:DYN365_ ENTERPRISE _SALES"). */
static bool
tenanted(const char *s, size_t n)
{
	bool had;

	n = after_tenant(&s, n, &had);
	return had && text_trim_space(&s, n) > 0;
}

static int
item_emit(const char *s, size_t n, items_fn f, void *arg)
{
	const char *tenant;
	size_t p;

	n = text_trim_space(&s, n);
	p = tenant_prefix(s, n);
	tenant = s;
	s += p;
	n -= p;
	n = text_trim_space(&s, n);
	if (n == 0 || text_ieq(s, n, "Unlicensed"))
		return 0;
	return f(s, n, tenant, p ? p - 1 : 0, arg);
}

/*
 * One piece between ';' and '+' separators. It is split on commas when
 * every part is a bare part number or a tenant:PART item, or when every
 * part carries a tenant: prefix, whatever follows it (Microsoft's own
 * part numbers may hold spaces).
 */
static int
piece_emit(const char *s, size_t n, items_fn f, void *arg)
{
	const char *c = memchr(s, ',', n);
	bool parts = c != NULL, tenants = c != NULL;
	int rc;

	for (size_t i = 0, start = 0; (parts || tenants) && i <= n; i++) {
		if (i == n || s[i] == ',') {
			parts = parts && part_like(s + start, i - start);
			tenants = tenants && tenanted(s + start, i - start);
			start = i + 1;
		}
	}
	if (!parts && !tenants)
		return item_emit(s, n, f, arg);
	for (size_t i = 0, start = 0; i <= n; i++) {
		if (i == n || s[i] == ',') {
			if ((rc = item_emit(s + start, i - start, f, arg)) != 0)
				return rc;
			start = i + 1;
		}
	}
	return 0;
}

int
items_split(const char *s, size_t n, items_fn f, void *arg)
{
	size_t start = 0;
	int rc;

	for (size_t i = 0; i <= n; i++) {
		bool cut = i == n || s[i] == ';';

		if (!cut && s[i] == '+')
			cut = !(i > 0 && s[i - 1] == ' ' && i + 1 < n && s[i + 1] == ' ');
		if (cut) {
			if ((rc = piece_emit(s + start, i - start, f, arg)) != 0)
				return rc;
			start = i + 1;
		}
	}
	return 0;
}
