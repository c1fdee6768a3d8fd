/*
 * test_mem: mem_fail ends the process with exit 1 after the hook the run
 * layer gave (its message and cleanup), or with its own words without one.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "mem.h"

static int hook_fd = -1;

static void
hook_write(void)
{
	ssize_t r = write(hook_fd, "hook", 4);

	(void)r;
}

/*
 * Runs mem_fail in a child, with the hook or without it, its stderr on
 * a pipe; out gets what the child wrote, the result is its wait status.
 */
static int
fail_in_child(int with_hook, char *out, size_t cap)
{
	int p[2], status = -1;
	size_t got = 0;
	ssize_t k;
	pid_t pid;

	if (pipe(p) != 0)
		return -1;
	fflush(NULL);	/* the child's exit must not print the parent's buffers again */
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		if (with_hook) {
			hook_fd = p[1];
			mem_on_fail(hook_write);
		} else {
			dup2(p[1], STDERR_FILENO);
		}
		mem_fail();
	}
	close(p[1]);
	while (got + 1 < cap && (k = read(p[0], out + got, cap - 1 - got)) > 0)
		got += (size_t)k;
	out[got] = '\0';
	close(p[0]);
	waitpid(pid, &status, 0);
	return status;
}

void
test_mem(void)
{
	char out[128];
	int st;

	st = fail_in_child(1, out, sizeof(out));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK_STR_EQ(out, "hook");
	st = fail_in_child(0, out, sizeof(out));
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 1);
	CHECK_STR_EQ(out, "skuscan: out of memory\n");
}
