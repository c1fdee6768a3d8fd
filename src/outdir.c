/* outdir: lock, generations and the one-rename publishing of the reports. */
#define _GNU_SOURCE	/* mkdtemp with the POSIX feature macros */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "mem.h"
#include "outdir.h"
#include "text.h"

#define STATE ".skuscan"	/* OUTDIR's own directory */
#define MAX_FILES 12

struct outdir {
	char *path;		/* OUTDIR as given */
	char *state;		/* OUTDIR/.skuscan */
	char *gen;		/* OUTDIR/.skuscan/run.XXXXXX, this run's */
	char *file[MAX_FILES];
	int lock_fd;
	int state_fd, gen_fd;	/* .skuscan and the generation, opened: see cleanup_* */
	bool published;
};

/*
 * What a signal handler removes, kept where it can reach it without
 * allocating: the files of this run's generation, then the directory.
 * By name relative to the directories opened at the start, not by path:
 * an OUTDIR renamed or moved while the run goes on still loses the
 * generation of a run that failed.
 */
static char cleanup_file[MAX_FILES][NAME_MAX + 1];
static char cleanup_gen[NAME_MAX + 1];
static int cleanup_state_fd = -1, cleanup_gen_fd = -1;
static char reading[PATH_MAX];
static volatile sig_atomic_t cleanup_on;

/* Removes this run's generation, by the opened directories; signal-safe. */
static void
cleanup_remove(void)
{
	if (cleanup_gen_fd >= 0)
		for (int i = 0; i < MAX_FILES; i++)
			if (cleanup_file[i][0] != '\0')
				unlinkat(cleanup_gen_fd, cleanup_file[i], 0);
	if (cleanup_state_fd >= 0 && cleanup_gen[0] != '\0')
		unlinkat(cleanup_state_fd, cleanup_gen, AT_REMOVEDIR);
}

void
outdir_abort_cleanup(void)
{
	if (cleanup_on)
		cleanup_remove();
}

/*
 * Kept escaped (text_escape_to): the signal handler may only write(2)
 * what is ready, and a name read raw could send the terminal commands.
 */
void
outdir_reading(const char *path)
{
	text_escape_to(reading, sizeof(reading), path ? path : "", path ? strlen(path) : 0);
}

const char *
outdir_input(void)
{
	return reading[0] != '\0' ? reading : NULL;
}

void
outdir_out_of_memory(void)
{
	outdir_abort_cleanup();
	if (outdir_input() != NULL)
		diag_say("%s: out of memory", outdir_input());
	else
		diag_say("out of memory");
}

/* Writes a, b and c to stderr as one line, with one write(2). */
static void
say(const char *a, const char *b, const char *c)
{
	char line[PATH_MAX + 128];
	size_t n = 0;

	for (const char *const *p = (const char *const[]){ a, b, c, NULL }; *p != NULL; p++) {
		size_t k = strlen(*p);

		if (k > sizeof(line) - n)
			k = sizeof(line) - n;
		memcpy(line + n, *p, k);
		n += k;
	}
	ssize_t r = write(STDERR_FILENO, line, n);

	(void)r;
}

/*
 * Async-signal-safe: write(2), unlinkat(2), pause(2), _exit(2), strlen,
 * memcpy and a lock-free atomic flag only.
 */
static void
on_signal(int sig)
{
	static const struct { int sig; const char *name; } names[] = {
		{ SIGINT, "SIGINT" }, { SIGTERM, "SIGTERM" }, { SIGHUP, "SIGHUP" },
		{ SIGQUIT, "SIGQUIT" }, { SIGXCPU, "SIGXCPU (CPU time limit)" },
		{ SIGALRM, "SIGALRM" }, { SIGUSR1, "SIGUSR1" }, { SIGUSR2, "SIGUSR2" },
		{ SIGVTALRM, "SIGVTALRM" }, { SIGPROF, "SIGPROF" },
	};
	static atomic_flag entered = ATOMIC_FLAG_INIT;
	const char *name = "a signal";

	/*
	 * One thread ends the run: two workers that both touch a page of a
	 * file cut short get SIGBUS at once, and their lines would mix.
	 */
	if (atomic_flag_test_and_set(&entered))
		for (;;)
			pause();
	outdir_abort_cleanup();
	if (sig == SIGBUS) {
		/* A mapped input shrank under the reader. */
		say("skuscan: ", reading[0] != '\0' ? reading : "an input",
		    ": changed while it was read: nothing published\n");
		_exit(1);
	}
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].sig == sig)
			name = names[i].name;
	say("skuscan: stopped by ", name, ": nothing published\n");
	_exit(1);
}

void
outdir_signals(void)
{
	static const int handled[] = {
		SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGXCPU, SIGALRM, SIGUSR1, SIGUSR2,
		SIGVTALRM, SIGPROF, SIGBUS,
	};
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sigfillset(&sa.sa_mask);
	sa.sa_handler = on_signal;
	for (size_t i = 0; i < sizeof(handled) / sizeof(handled[0]); i++)
		sigaction(handled[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGXFSZ, &sa, NULL);
}

static char *
join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = mem_alloc(n);

	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/* mkdir -p */
static int
make_dirs(const char *path, struct diag *d)
{
	char *p = mem_strdup(path);
	struct stat st;

	for (char *s = p + 1; ; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char c = *s;

		*s = '\0';
		if (mkdir(p, 0777) != 0 && errno != EEXIST) {
			diag_set(d, p, 0, "cannot create the output directory: %s", strerror(errno));
			free(p);
			return -1;
		}
		*s = c;
		if (c == '\0')
			break;
	}
	free(p);
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_set(d, path, 0, "the output directory is not a directory");
		return -1;
	}
	return 0;
}

static void
fsync_dir(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
}

/* Removes a generation directory and the files in it (one level). */
static void
remove_tree(const char *path)
{
	DIR *dir = opendir(path);
	struct dirent *e;

	if (dir != NULL) {
		while ((e = readdir(dir)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
				continue;
			unlinkat(dirfd(dir), e->d_name, 0);
		}
		closedir(dir);
	}
	if (rmdir(path) != 0 && errno == ENOTDIR)
		unlink(path);
}

/* The generation current points at (its name in .skuscan), or "". */
static void
current_target(const char *state, char *out, size_t n)
{
	char *link = join(state, "current");
	ssize_t r = readlink(link, out, n - 1);

	out[r > 0 ? r : 0] = '\0';
	if (strchr(out, '/') != NULL)
		out[0] = '\0';
	free(link);
}

/*
 * Under the lock, whatever else is in .skuscan is a dead run's: a
 * generation it never published, a half-made link. Temporaries of
 * earlier versions (OUTDIR/.skuscan-*) go too.
 */
static void
remove_stale(struct outdir *o)
{
	char keep[NAME_MAX + 1];
	DIR *dir;
	struct dirent *e;

	current_target(o->state, keep, sizeof(keep));
	if ((dir = opendir(o->state)) != NULL) {
		while ((e = readdir(dir)) != NULL) {
			if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0 ||
			    strcmp(e->d_name, "lock") == 0 ||
			    strcmp(e->d_name, "current") == 0 || strcmp(e->d_name, keep) == 0)
				continue;
			char *p = join(o->state, e->d_name);

			remove_tree(p);
			free(p);
		}
		closedir(dir);
	}
	if ((dir = opendir(o->path)) != NULL) {
		while ((e = readdir(dir)) != NULL)
			if (strncmp(e->d_name, ".skuscan-", 9) == 0)
				unlinkat(dirfd(dir), e->d_name, 0);
		closedir(dir);
	}
}

static long
lock_wait_seconds(void)
{
	const char *env = getenv("SKUSCAN_LOCK_WAIT");
	char *end;
	long v;

	if (env == NULL || *env == '\0')
		return 60;
	v = strtol(env, &end, 10);
	return *end == '\0' && v >= 0 && v <= 86400 ? v : 60;
}

/*
 * flock on OUTDIR/.skuscan/lock, which holds the holder's process id so
 * that a run that gives up can name it. The kernel drops the lock with
 * the process, however it ends.
 */
static int
lock_take(struct outdir *o, struct diag *d)
{
	char *path = join(o->state, "lock");
	long wait = lock_wait_seconds();
	struct timespec nap = { 0, 100 * 1000 * 1000 };
	char pid[32];
	int n;

	o->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (o->lock_fd < 0) {
		diag_set(d, o->path, 0, "cannot write in the output directory: %s",
		    strerror(errno));
		free(path);
		return -1;
	}
	for (long tries = 0; flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0; tries++) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			diag_set(d, path, 0, "cannot lock the output directory: %s",
			    strerror(errno));
			free(path);
			return -1;
		}
		if (tries >= wait * 10) {
			ssize_t r = pread(o->lock_fd, pid, sizeof(pid) - 1, 0);

			pid[r > 0 ? r : 0] = '\0';
			pid[strcspn(pid, " \n")] = '\0';
			diag_set(d, o->path, 0, "in use by another skuscan run (process %s); "
			    "gave up after %ld s", pid[0] ? pid : "unknown", wait);
			free(path);
			return -1;
		}
		nanosleep(&nap, NULL);
	}
	free(path);
	/*
	 * Padded to one width and written over the last holder's id, never
	 * truncated: truncating freed the file's block and the write took a
	 * new one, a journal update (0.12 ms) in every run.
	 */
	n = snprintf(pid, sizeof(pid), "%-20ld\n", (long)getpid());
	(void)pwrite(o->lock_fd, pid, (size_t)n, 0);	/* only a courtesy to a waiting run */
	return 0;
}

/* mkdtemp makes 0700 directories: readers get what the umask allows. */
static mode_t
gen_mode(void)
{
	mode_t mask = umask(022);

	umask(mask);
	return 0777 & ~mask;
}

int
outdir_open(struct outdir **out, const char *path, struct diag *d)
{
	struct outdir *o = mem_calloc(1, sizeof(*o));
	struct stat st;

	*out = NULL;
	o->lock_fd = o->state_fd = o->gen_fd = -1;
	o->path = mem_strdup(path);
	o->state = join(path, STATE);
	if (make_dirs(path, d) != 0)
		goto fail;
	if (mkdir(o->state, 0777) != 0 && errno != EEXIST) {
		diag_set(d, path, 0, "cannot write in the output directory: %s", strerror(errno));
		goto fail;
	}
	if (lstat(o->state, &st) != 0 || !S_ISDIR(st.st_mode)) {
		diag_set(d, o->state, 0, "is not a directory: skuscan keeps its runs there");
		goto fail;
	}
	if (lock_take(o, d) != 0)
		goto fail;
	remove_stale(o);
	o->gen = join(o->state, "run.XXXXXX");
	if (mkdtemp(o->gen) == NULL) {
		diag_set(d, path, 0, "cannot write in the output directory: %s", strerror(errno));
		free(o->gen);
		o->gen = NULL;
		goto fail;
	}
	chmod(o->gen, gen_mode());
	o->state_fd = open(o->state, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	o->gen_fd = open(o->gen, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (o->state_fd < 0 || o->gen_fd < 0) {
		diag_set(d, path, 0, "cannot write in the output directory: %s", strerror(errno));
		rmdir(o->gen);
		goto fail;
	}
	snprintf(cleanup_gen, sizeof(cleanup_gen), "%s", strrchr(o->gen, '/') + 1);
	cleanup_state_fd = o->state_fd;
	cleanup_gen_fd = o->gen_fd;
	cleanup_on = 1;
	*out = o;
	return 0;
fail:
	outdir_close(o);
	return -1;
}

const char *
outdir_file(struct outdir *o, int i, const char *name)
{
	if (i < 0 || i >= MAX_FILES)
		abort();
	free(o->file[i]);
	o->file[i] = join(o->gen, name);
	snprintf(cleanup_file[i], sizeof(cleanup_file[i]), "%s", name);
	return o->file[i];
}

/*
 * Points link at target by making it beside and renaming it over: atomic.
 * Under the run's lock the name beside is this run's alone (a dead run's
 * of the same pid is replaced; remove_stale takes what others left): no
 * file is made only to be named, which costs an inode on every run.
 */
static int
link_swap(const char *dir, const char *target, const char *link)
{
	char name[48];
	char *tmp;
	int rc = -1, e;

	snprintf(name, sizeof(name), ".skuscan-link.%ld", (long)getpid());
	tmp = join(dir, name);
	if (symlink(target, tmp) == 0 ||
	    (errno == EEXIST && unlink(tmp) == 0 && symlink(target, tmp) == 0)) {
		if (rename(tmp, link) == 0) {
			rc = 0;
		} else {
			e = errno;
			unlink(tmp);
			errno = e;
		}
	}
	e = errno;
	free(tmp);
	errno = e;
	return rc;
}

/* Is OUTDIR/name already the fixed link through current? */
static bool
is_our_link(const char *path, const char *name)
{
	char buf[PATH_MAX], want[PATH_MAX];
	ssize_t r = readlink(path, buf, sizeof(buf) - 1);

	if (r < 0)
		return false;
	buf[r] = '\0';
	snprintf(want, sizeof(want), STATE "/current/%s", name);
	return strcmp(buf, want) == 0;
}

/*
 * OUTDIR from before links (reports as plain files): they are hard-linked
 * into a generation of their own and current pointed at it, so that
 * turning each name into a link shows the same bytes at every instant.
 */
static int
adopt_plain(struct outdir *o, const char *const *names, int n, struct diag *d)
{
	char target[NAME_MAX + 1];
	char *gen = NULL, *cur;
	struct stat st;
	bool any = false;
	int rc = -1;

	current_target(o->state, target, sizeof(target));
	for (int i = 0; i < n; i++) {
		char *p = join(o->path, names[i]);

		any |= lstat(p, &st) == 0 && S_ISREG(st.st_mode);
		free(p);
	}
	if (!any)
		return 0;
	gen = join(o->state, "run.XXXXXX");
	if (mkdtemp(gen) == NULL)
		goto fail;
	chmod(gen, gen_mode());
	for (int i = 0; i < n; i++) {
		char *p = join(o->path, names[i]), *q = join(gen, names[i]);

		if (lstat(p, &st) == 0 && S_ISREG(st.st_mode) && link(p, q) != 0) {
			free(p);
			free(q);
			goto fail;
		}
		free(p);
		free(q);
	}
	if (link_swap(o->state, strrchr(gen, '/') + 1, cur = join(o->state, "current")) != 0) {
		free(cur);
		goto fail;
	}
	free(cur);
	if (target[0] != '\0') {
		char *old = join(o->state, target);

		remove_tree(old);
		free(old);
	}
	rc = 0;
	free(gen);
	return rc;
fail:
	diag_set(d, o->path, 0, "cannot publish: %s", strerror(errno));
	if (gen != NULL)
		remove_tree(gen);
	free(gen);
	return rc;
}

int
outdir_publish(struct outdir *o, const char *const *names, const bool *have, int n,
    struct diag *d)
{
	char old[NAME_MAX + 1], target[PATH_MAX];
	char *cur = join(o->state, "current");
	bool outdir_changed = false;
	int rc = -1;

	/* Nothing a reader sees changes before the one rename of current. */
	for (int i = 0; i < n; i++) {
		char *p = join(o->path, names[i]);
		struct stat st;

		if (lstat(p, &st) == 0 && S_ISDIR(st.st_mode)) {
			diag_set(d, p, 0, "cannot publish: a directory has the report's name");
			free(p);
			goto out;
		}
		free(p);
	}
	fsync_dir(o->gen);
	if (adopt_plain(o, names, n, d) != 0)
		goto out;
	for (int i = 0; i < n; i++) {
		char *p = join(o->path, names[i]);

		snprintf(target, sizeof(target), STATE "/current/%s", names[i]);
		if (have[i] && !is_our_link(p, names[i])) {
			if (link_swap(o->path, target, p) != 0) {
				diag_set(d, p, 0, "cannot publish: %s", strerror(errno));
				free(p);
				goto out;
			}
			outdir_changed = true;
		}
		free(p);
	}
	current_target(o->state, old, sizeof(old));
	if (link_swap(o->state, strrchr(o->gen, '/') + 1, cur) != 0) {
		diag_set(d, cur, 0, "cannot publish: %s", strerror(errno));
		goto out;
	}
	/* Published: from here on nothing can fail the run. */
	o->published = true;
	cleanup_on = 0;
	fsync_dir(o->state);
	for (int i = 0; i < n; i++) {
		if (!have[i]) {
			char *p = join(o->path, names[i]);

			if (unlink(p) == 0)
				outdir_changed = true;
			free(p);
		}
	}
	/* OUTDIR's entries are synced when this run changed them. */
	if (outdir_changed)
		fsync_dir(o->path);
	if (old[0] != '\0' && strcmp(old, strrchr(o->gen, '/') + 1) != 0) {
		char *p = join(o->state, old);

		remove_tree(p);
		free(p);
	}
	rc = 0;
out:
	free(cur);
	return rc;
}

void
outdir_close(struct outdir *o)
{
	if (o == NULL)
		return;
	if (!o->published && cleanup_on)
		cleanup_remove();
	cleanup_on = 0;
	for (int i = 0; i < MAX_FILES; i++) {
		free(o->file[i]);
		cleanup_file[i][0] = '\0';
	}
	cleanup_gen[0] = '\0';
	cleanup_state_fd = cleanup_gen_fd = -1;
	if (o->gen_fd >= 0)
		close(o->gen_fd);
	if (o->state_fd >= 0)
		close(o->state_fd);
	if (o->lock_fd >= 0)
		close(o->lock_fd);
	free(o->gen);
	free(o->state);
	free(o->path);
	free(o);
}

void
outdir_open_published(const char *dir, const char *const *names, int *fd, int *err, size_t n)
{
	char *link = mem_alloc(PATH_MAX), *target = mem_alloc(NAME_MAX + 1);
	char *path = mem_alloc(PATH_MAX);
	ssize_t len = -1;

	snprintf(link, PATH_MAX, "%s/.skuscan/current", dir);
	for (int attempt = 0; attempt < 5; attempt++) {
		bool retry = false, bad;

		len = readlink(link, target, NAME_MAX);
		if (len >= 0)
			target[len] = '\0';
		/* A link skuscan made names a directory beside it, in full. */
		bad = len >= 0 && (len == NAME_MAX || strchr(target, '/') != NULL ||
		    target[0] == '.' || target[0] == '\0');
		for (size_t i = 0; i < n; i++) {
			if (bad) {
				fd[i] = -1;
				err[i] = EINVAL;
				continue;
			}
			if (len >= 0)
				snprintf(path, PATH_MAX, "%s/.skuscan/%s/%s", dir, target, names[i]);
			else
				snprintf(path, PATH_MAX, "%s/%s", dir, names[i]);
			fd[i] = open(path, O_RDONLY | O_CLOEXEC);
			err[i] = fd[i] < 0 ? errno : 0;
			if (fd[i] < 0 && errno == ENOENT && len >= 0) {
				/* The set may have been replaced since the link was read. */
				char again[NAME_MAX + 1];
				ssize_t k = readlink(link, again, NAME_MAX);

				retry = k >= 0 && ((size_t)k != (size_t)len || memcmp(again, target,
				    (size_t)len) != 0);
			}
		}
		if (!retry || attempt == 4)
			break;	/* the last attempt's descriptors are the answer */
		for (size_t i = 0; i < n; i++)
			if (fd[i] >= 0)
				close(fd[i]);
	}
	free(link);
	free(target);
	free(path);
}
