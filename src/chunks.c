#include <stdlib.h>
#include <string.h>

#include "chunks.h"
#include "mem.h"

size_t
chunks_read_mem(void *arg, char *buf, size_t len, size_t at)
{
	const struct chunks_mem *m = arg;

	if (at >= m->n)
		return 0;
	if (len > m->n - at)
		len = m->n - at;
	memcpy(buf, m->s + at, len);
	return len;
}

size_t
chunks_cut_after(chunks_read_fn rd, void *arg, size_t at, size_t n, size_t max)
{
	char buf[4096];
	size_t limit = n - at > max ? at + max : n;

	while (at < limit) {
		size_t want = limit - at < sizeof(buf) ? limit - at : sizeof(buf);
		size_t k = rd(arg, buf, want, at);

		if (k == 0)
			return n;	/* a read error: the chunk just grows to the end */
		for (size_t i = 0; i < k; i++) {
			char next;

			if (buf[i] == '\n')
				return at + i + 1;
			if (buf[i] != '\r')
				continue;
			/* A CR at the buffer's end: its CRLF's LF is in the next read. */
			if (i + 1 < k)
				next = buf[i + 1];
			else if (at + i + 1 >= n || rd(arg, &next, 1, at + i + 1) != 1)
				return at + i + 1;
			return at + i + 1 + (next == '\n');
		}
		at += k;
	}
	return limit == n ? n : SIZE_MAX;
}

size_t
chunks_plan(chunks_read_fn rd, void *arg, size_t from, size_t n, size_t size, size_t max,
    struct chunks_span **out)
{
	struct chunks_span *c = NULL;
	size_t count = 0, cap = 0;

	while (from < n) {
		size_t end = n - from > size ? chunks_cut_after(rd, arg, from + size, n, max) : n;

		if (end == SIZE_MAX) {
			free(c);
			*out = NULL;
			return 0;
		}
		mem_grow((void **)&c, &cap, count + 1, sizeof(*c));
		c[count++] = (struct chunks_span){ from, end };
		from = end;
	}
	*out = c;
	return count;
}

void
chunks_merge_init(struct chunks_merge *m, size_t n, uint64_t line)
{
	*m = (struct chunks_merge){ .n = n, .line = line };
}

bool
chunks_merge_next(const struct chunks_merge *m, const struct chunks_parsed *c,
    struct chunks_range *r)
{
	if (!m->open)
		return false;
	*r = (struct chunks_range){ m->open_at, c->end, m->open_line, true };
	return true;
}

void
chunks_merge_applied(struct chunks_merge *m, const struct chunks_parsed *c)
{
	if (c->ended_inside) {
		m->open = true;
		m->open_at = c->open_at;
		m->open_line = m->line + c->open_line - 1;
	}
	m->line += c->lines;
}

bool
chunks_merge_parsed(struct chunks_merge *m, const struct chunks_range *r, bool open,
    size_t open_at, uint64_t open_line, uint64_t end_line, struct chunks_range *rest)
{
	bool stuck = open && r->partial && open_at == r->from;

	m->line = end_line;
	m->open = open && r->partial;
	m->open_at = open_at;
	m->open_line = open_line;
	if (!r->partial)
		m->done = true;
	if (!stuck)
		return false;
	*rest = (struct chunks_range){ open_at, m->n, open_line, false };
	return true;
}

bool
chunks_merge_end(const struct chunks_merge *m, struct chunks_range *r)
{
	if (!m->open || m->done)
		return false;
	*r = (struct chunks_range){ m->open_at, m->n, m->open_line, false };
	return true;
}
