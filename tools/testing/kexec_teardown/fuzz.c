// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: random register / unregister / edit / seal / run
 * sequences against a reference model of the registry.
 *
 * Invariants checked after every operation:
 *  - each call returns exactly the error the model predicts;
 *  - a run calls, on each simulated CPU, exactly the model's steps of that
 *    phase (crash-safe ones only after a crash seal), each once, in order
 *    (terminal last, priority descending, then name);
 *  - failures and skips are counted; after the copy, the failures (every
 *    step when verbose) and the bounded crash replay go to the platform's
 *    output, and nothing else does;
 *  - once sealed, nothing changes.
 * A violated invariant aborts, which libFuzzer reports with the input.
 * The Makefile renames kt_fuzz_one_input() to libFuzzer's entry point.
 */
#include "common.h"

int kt_fuzz_one_input(const unsigned char *data, size_t size);

#define POOL		12	/* static steps */
#define HEAP		2	/* heap steps: valid in every phase but post-copy */
#define NAMES		5
#define MAX_CPUS	4

static const char * const names[NAMES] = { "f:a", "f:b", "f:c", "f:d", "f:e" };

struct model {
	struct kexec_teardown *td;
	bool heap;
	bool registered;
};

static struct kexec_teardown pool[POOL];
static struct model m[POOL + HEAP];
static struct kexec_teardown_registry reg;
static bool sealed, crash;
static int reports;		/* lines the registry logged so far */
static char out[65536];

#define FUZZ_ASSERT(c) do {						\
	if (!(c)) {							\
		fprintf(stderr, "fuzz: invariant failed at %s:%d: %s\n",	\
			__FILE__, __LINE__, #c);			\
		abort();						\
	}								\
} while (0)

static void fuzz_puts(const char *s)
{
	strncat(out, s, sizeof(out) - strlen(out) - 1);
}

static bool valid(const struct model *e)
{
	const struct kexec_teardown *td = e->td;

	if ((unsigned int)td->phase >= KEXEC_TEARDOWN_NR_PHASES)
		return false;
	if (td->flags & ~3U)
		return false;
	if (td->phase == KEXEC_TEARDOWN_PREPARE &&
	    (td->flags & KEXEC_TEARDOWN_CRASH_SAFE))
		return false;
	if (td->phase != KEXEC_TEARDOWN_SECONDARY &&
	    (td->flags & KEXEC_TEARDOWN_TERMINAL))
		return false;
	if (td->phase == KEXEC_TEARDOWN_POST_COPY && e->heap)
		return false;
	return true;
}

static bool before(const struct kexec_teardown *a, const struct kexec_teardown *b)
{
	bool al = a->flags & KEXEC_TEARDOWN_TERMINAL;
	bool bl = b->flags & KEXEC_TEARDOWN_TERMINAL;

	if (al != bl)
		return bl;
	if (a->priority != b->priority)
		return a->priority > b->priority;
	return strcmp(a->name, b->name) < 0;
}

/* The model's run order of @phase. */
static int sorted(int phase, int *idx)
{
	int n = 0, i, j;

	for (i = 0; i < POOL + HEAP; i++)
		if (m[i].registered && m[i].td->phase == phase)
			idx[n++] = i;
	for (i = 1; i < n; i++)
		for (j = i; j > 0 && before(m[idx[j]].td, m[idx[j - 1]].td); j--) {
			int x = idx[j];

			idx[j] = idx[j - 1];
			idx[j - 1] = x;
		}
	return n;
}

static int predict_add(int i)
{
	int idx[POOL + HEAP], n, k;

	if (!valid(&m[i]))
		return -EINVAL;
	if (sealed)
		return -EBUSY;
	if (m[i].registered)
		return -EEXIST;
	n = sorted(m[i].td->phase, idx);
	for (k = 0; k < n; k++) {
		const struct kexec_teardown *pos = m[idx[k]].td;

		if (!strcmp(pos->name, m[i].td->name))
			return -EEXIST;
		if (pos->flags & m[i].td->flags & KEXEC_TEARDOWN_TERMINAL)
			return -EBUSY;
	}
	return 0;
}

static void edit(int i, const unsigned char *a)
{
	struct kexec_teardown *td = m[i].td;

	td->name = names[a[0] % NAMES];
	td->phase = a[1] % (KEXEC_TEARDOWN_NR_PHASES + 1);
	td->priority = (int)(a[2] % 7) - 3;
	td->flags = a[3] % 5;	/* 4 is an unknown flag */
	td->fn = (a[3] & 0x80) ? kt_fail : kt_record;
	td->data = KT_ID(i);
}

/* The model of the trace: what each record would print. */
static struct {
	int phase;
	bool failed;
} rec[KEXEC_TEARDOWN_TRACE_MAX];
static bool verbose;

/* Only what is worth printing is recorded: failures, all with verbose. */
static void model_record(int phase, bool failed)
{
	if (!verbose && !failed)
		return;
	if (reports < KEXEC_TEARDOWN_TRACE_MAX) {
		rec[reports].phase = phase;
		rec[reports].failed = failed;
	}
	reports++;
}

/* Lines the crash replay prints: bounded, with a count of the rest. */
static int model_replay(void)
{
	int i, worth = 0, printed, left;

	for (i = 0; i < reports && i < KEXEC_TEARDOWN_TRACE_MAX; i++)
		worth += rec[i].phase != KEXEC_TEARDOWN_POST_COPY &&
			 (verbose || rec[i].failed);
	printed = worth < KEXEC_TEARDOWN_REPLAY_MAX ? worth :
						      KEXEC_TEARDOWN_REPLAY_MAX;
	left = worth - printed;
	if (reports > KEXEC_TEARDOWN_TRACE_MAX)
		left += reports - KEXEC_TEARDOWN_TRACE_MAX;
	return printed + (left > 0);
}

static void run(int phase, int ncpus)
{
	int idx[POOL + HEAP], n, k, c, want = 0, lines = 0, fails = 0, skipped;
	int printed;
	int nr_run = atomic_read(&reg.nr_run);
	int nr_failed = atomic_read(&reg.nr_failed);
	int nr_skipped = atomic_read(&reg.nr_skipped);
	/* An unsealed registry runs its crash-safe steps only. */
	bool crashing = crash || !sealed;
	const char *p;

	n = sorted(phase, idx);
	skipped = 0;
	for (c = 0; c < ncpus; c++) {
		int replayed = 0;

		/* On the crash path, post-copy first replays what was logged. */
		if (crashing && phase == KEXEC_TEARDOWN_POST_COPY)
			replayed = model_replay();
		kt_log_reset();
		out[0] = '\0';
		kt_cpu = c;
		kexec_teardown_run(&reg, phase, c, c + 64, NULL);
		printed = 0;
		want = 0;
		for (k = 0; k < n; k++) {
			const struct kexec_teardown *td = m[idx[k]].td;
			bool failed = td->fn == kt_fail;

			if (crashing && !(td->flags & KEXEC_TEARDOWN_CRASH_SAFE)) {
				skipped++;
				model_record(phase, false);
				printed += verbose;
				continue;
			}
			FUZZ_ASSERT(want < kt_log.n);
			FUZZ_ASSERT(kt_log.e[want].id == idx[k]);
			FUZZ_ASSERT(kt_log.e[want].ctx.cpu == (unsigned int)c);
			FUZZ_ASSERT(kt_log.e[want].ctx.hw_cpu ==
				    (unsigned int)c + 64);
			FUZZ_ASSERT(kt_log.e[want].ctx.phase == phase);
			FUZZ_ASSERT(kt_log.e[want].ctx.crash == crashing);
			fails += failed;
			/* A terminal step is recorded before and after its call. */
			if (td->flags & KEXEC_TEARDOWN_TERMINAL) {
				model_record(phase, false);
				printed += verbose;
			}
			model_record(phase, failed);
			printed += verbose || failed;
			want++;
		}
		FUZZ_ASSERT(kt_log.n == want);
		FUZZ_ASSERT(atomic_read(&reg.nr_trace) == reports);
		if (phase == KEXEC_TEARDOWN_POST_COPY) {
			for (p = out, lines = 0; (p = strchr(p, '\n')); p++)
				lines++;
			FUZZ_ASSERT(lines == replayed + printed);
		} else {
			FUZZ_ASSERT(out[0] == '\0');
		}
	}
	FUZZ_ASSERT(atomic_read(&reg.nr_run) - nr_run == want * ncpus);
	FUZZ_ASSERT(atomic_read(&reg.nr_failed) - nr_failed == fails);
	FUZZ_ASSERT(atomic_read(&reg.nr_skipped) - nr_skipped == skipped);
}

int kt_fuzz_one_input(const unsigned char *data, size_t size)
{
	static struct kexec_teardown *heap[HEAP];
	size_t pos = 0;
	int i;

	if (!heap[0])
		for (i = 0; i < HEAP; i++)
			heap[i] = calloc(1, sizeof(*heap[i]));

	kexec_teardown_registry_init(&reg);
	reg.puts = fuzz_puts;
	verbose = size && (data[size - 1] & 1);
	reg.verbose = verbose;
	reports = 0;
	sealed = false;
	crash = false;
	for (i = 0; i < POOL + HEAP; i++) {
		static const unsigned char init[4];

		m[i].td = i < POOL ? &pool[i] : heap[i - POOL];
		m[i].heap = i >= POOL;
		m[i].registered = false;
		memset(m[i].td, 0, sizeof(*m[i].td));
		edit(i, init);
		m[i].td->name = names[i % NAMES];
		m[i].td->phase = i % KEXEC_TEARDOWN_NR_PHASES;
	}

	while (pos + 6 <= size) {
		const unsigned char *a = data + pos + 1;
		int op = data[pos] % 8, e = a[0] % (POOL + HEAP), ret, want;

		pos += 6;
		switch (op) {
		case 0:
		case 1:
			want = predict_add(e);
			ret = kexec_teardown_add(&reg, m[e].td);
			FUZZ_ASSERT(ret == want);
			if (!ret)
				m[e].registered = true;
			break;
		case 2:
			want = sealed ? -EBUSY : m[e].registered ? 0 : -ENOENT;
			ret = kexec_teardown_remove(&reg, m[e].td);
			FUZZ_ASSERT(ret == want);
			if (!ret)
				m[e].registered = false;
			break;
		case 3:
			/* Editing a registered step is a caller bug: don't. */
			if (!m[e].registered)
				edit(e, a + 1);
			break;
		case 4:
			if (!sealed) {
				kexec_teardown_seal(&reg);
				sealed = true;
			}
			break;
		case 5:
			if (!sealed) {
				kexec_teardown_seal_crash(&reg);
				sealed = true;
				crash = true;
			}
			break;
		default:
			run(a[1] % KEXEC_TEARDOWN_NR_PHASES, 1 + a[2] % MAX_CPUS);
			break;
		}
		FUZZ_ASSERT(reg.sealed == sealed && reg.crash == crash);
	}
	return 0;
}
