// SPDX-License-Identifier: GPL-2.0
/*
 * /init of the end-to-end kexec tests: a static program for the ppc64le
 * and x86_64 guests.  It reports the CPUs and the MMU, lists the kexec teardown
 * registrations, then kexecs into the same kernel (kexec_file_load and
 * reboot(LINUX_REBOOT_CMD_KEXEC)) until it has done kt.loops kexecs, or loads
 * itself as a crash kernel and panics (kt.mode=crash), and powers off.
 * A capture kernel (kt.capture=1) reports the size of /proc/vmcore and the
 * register notes in it.
 *
 * The initramfs it gives the next kernel is rebuilt here, as a newc cpio of
 * /init and /vmlinux, so that every kernel in the chain can kexec again.
 *
 * Command line: kt.boot=N (set by the previous kernel; 0 if absent),
 * kt.loops=M (default 1), kt.mode=normal|crash, kt.next=1 (kexec /next, not
 * /vmlinux, from the even boots), kt.tool=kexec-tools (load with Debian's
 * /sbin/kexec -c, that is kexec_load() and kexec-tools' purgatory, and
 * kexec with "kexec -e"; kt.nocheck=1 adds -i, no purgatory checksum,
 * kt.debug=1 adds -d), kt.hwcpu=N (kexec or crash from the CPU whose
 * hardware id is N: in QEMU's ppce500 only hardware CPU 0 can start the
 * others again, and a kexec may renumber the logical CPUs), kt.lockup=N
 * (before the kexec, hang CPU N with interrupts off through lkdtm's
 * HARDLOCKUP: a secondary that never stops, on a kernel without the
 * registry's test module).
 * Lines for the host start with "KT: ".
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <fcntl.h>
#include <sched.h>
#include <linux/kexec.h>
#include <linux/reboot.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static char cmdline[4096];

static long param(const char *name, long def)
{
	char key[64];
	const char *p;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(cmdline, key);
	return p ? strtol(p + strlen(key), NULL, 10) : def;
}

static const char *param_str(const char *name, char *buf, size_t size)
{
	char key[64];
	const char *p;
	size_t n;

	snprintf(key, sizeof(key), " %s=", name);
	p = strstr(cmdline, key);
	if (!p) {
		buf[0] = '\0';
		return buf;
	}
	p += strlen(key);
	n = strcspn(p, " ");
	if (n >= size)
		n = size - 1;
	memcpy(buf, p, n);
	buf[n] = '\0';
	return buf;
}

static int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY);
	ssize_t n, total = 0;

	if (fd < 0)
		return -1;
	while (total < (ssize_t)size - 1 &&
	       (n = read(fd, buf + total, size - 1 - total)) > 0)
		total += n;
	close(fd);
	buf[total] = '\0';
	while (total && buf[total - 1] == '\n')
		buf[--total] = '\0';
	return 0;
}

static void report(void)
{
	char buf[16384], *line, *save;
	FILE *f;

	if (!read_file("/sys/devices/system/cpu/online", buf, sizeof(buf)))
		printf("KT: cpus online %s\n", buf);
	if (!read_file("/sys/devices/system/cpu/present", buf, sizeof(buf)))
		printf("KT: cpus present %s\n", buf);
	f = fopen("/proc/cpuinfo", "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "MMU", 3)) {
			printf("KT: cpuinfo %s", buf);
			break;
		}
	if (f)
		fclose(f);
	f = fopen("/proc/powerpc/lparcfg", "r");
	while (f && fgets(buf, sizeof(buf), f))
		if (!strncmp(buf, "dispatches=", 11))
			printf("KT: lparcfg %s", buf);
	if (f)
		fclose(f);
	if (!read_file("/sys/kernel/debug/kexec_teardown/registrations", buf,
		       sizeof(buf))) {
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save))
			printf("KT: reg %s\n", line);
	} else {
		printf("KT: no kexec_teardown registrations file\n");
	}
}

/* newc cpio */
static int cpio_header(FILE *out, const char *name, unsigned int mode,
		       unsigned long size)
{
	size_t namesize = strlen(name) + 1, pad;
	static unsigned int ino = 1;

	fprintf(out, "070701%08X%08X%08X%08X%08X%08X%08lX%08X%08X%08X%08X%08zX%08X",
		ino++, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize, 0);
	fwrite(name, 1, namesize, out);
	pad = (4 - (110 + namesize) % 4) % 4;
	fwrite("\0\0\0", 1, pad, out);
	return 0;
}

static int cpio_add(FILE *out, const char *name, const char *path,
		    unsigned int mode)
{
	char buf[65536];
	struct stat st;
	size_t n;
	FILE *in;

	in = fopen(path, "r");
	if (!in || fstat(fileno(in), &st))
		return -1;
	cpio_header(out, name, mode, st.st_size);
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, out);
	fclose(in);
	fwrite("\0\0\0", 1, (4 - st.st_size % 4) % 4, out);
	return 0;
}

static int make_initrd(const char *path)
{
	FILE *out = fopen(path, "w");
	struct stat st;

	if (!out)
		return -1;
	if (cpio_add(out, "init", "/init", 0100755) ||
	    cpio_add(out, "vmlinux", "/vmlinux", 0100644))
		return -1;
	if (!stat("/next", &st) && cpio_add(out, "next", "/next", 0100644))
		return -1;
	/* kexec-tools and the libraries it needs (all of /lib64), if here. */
	if (!stat("/sbin/kexec", &st)) {
		char name[300], src[300];
		struct dirent *d;
		DIR *dir;

		if (cpio_header(out, "sbin", 040755, 0) ||
		    cpio_header(out, "lib64", 040755, 0) ||
		    cpio_add(out, "sbin/kexec", "/sbin/kexec", 0100755))
			return -1;
		dir = opendir("/lib64");
		while (dir && (d = readdir(dir))) {
			if (d->d_name[0] == '.')
				continue;
			snprintf(name, sizeof(name), "lib64/%s", d->d_name);
			snprintf(src, sizeof(src), "/lib64/%s", d->d_name);
			if (cpio_add(out, name, src, 0100755))
				return -1;
		}
		if (dir)
			closedir(dir);
	}
	cpio_header(out, "TRAILER!!!", 0, 0);
	fwrite("\0\0\0\0", 1, 4, out);
	return fclose(out);
}

/* The next kernel's command line: ours, without @drop params, plus @add. */
static void next_cmdline(char *buf, size_t size, const char *add,
			 const char * const *drop)
{
	char copy[sizeof(cmdline)], *tok, *save;
	size_t len = 0;
	int i, skip;

	strcpy(copy, cmdline);
	buf[0] = '\0';
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		for (i = 0, skip = 0; drop[i]; i++)
			skip |= !strncmp(tok, drop[i], strlen(drop[i]));
		if (!skip)
			len += snprintf(buf + len, size - len, "%s%s",
					len ? " " : "", tok);
	}
	snprintf(buf + len, size - len, " %s", add);
}

/*
 * The kernel to kexec: /vmlinux, the one running, or with kt.next=1 /next,
 * another kernel (unpatched 6.12), from the even boots: a kexec into a
 * different kernel, as an upgrade is.
 */
static const char *kernel;

static int load(const char *cmd, unsigned long flags)
{
	int kfd = open(kernel, O_RDONLY), ifd;
	long r;

	if (make_initrd("/tmp/initrd.cpio")) {
		printf("KT: cannot build the initrd: %s\n", strerror(errno));
		return -1;
	}
	ifd = open("/tmp/initrd.cpio", O_RDONLY);
	if (kfd < 0 || ifd < 0) {
		printf("KT: missing %s or the initrd\n", kernel);
		return -1;
	}
	r = syscall(SYS_kexec_file_load, kfd, ifd, strlen(cmd) + 1, cmd, flags);
	if (r) {
		printf("KT: kexec_file_load(%s) failed: %s\n",
		       flags & KEXEC_FILE_ON_CRASH ? "KEXEC_FILE_ON_CRASH" : "0",
		       strerror(errno));
		return -1;
	}
	close(kfd);
	close(ifd);
	return 0;
}

/* Run /sbin/kexec with @argv; return its exit status, or -1. */
static int run_kexec(char *const argv[])
{
	static char *const envp[] = { "PATH=/sbin", "LD_LIBRARY_PATH=/lib64",
				      NULL };
	int status, i;
	pid_t pid;

	printf("KT: run");
	for (i = 0; argv[i]; i++)
		printf(" %s", argv[i]);
	printf("\n");
	pid = fork();
	if (pid == 0) {
		execve("/sbin/kexec", argv, envp);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Load with kexec-tools: "-l" or "-p", through kexec_load() (-c). */
static int load_kexec_tools(const char *how, const char *cmd)
{
	char initrd[] = "--initrd=/tmp/initrd.cpio", line[sizeof(cmdline) + 64];
	char *argv[10];
	int n = 0, r;

	if (make_initrd("/tmp/initrd.cpio")) {
		printf("KT: cannot build the initrd: %s\n", strerror(errno));
		return -1;
	}
	snprintf(line, sizeof(line), "--command-line=%s", cmd);
	argv[n++] = "kexec";
	argv[n++] = "-c";
	if (param("kt.nocheck", 0))
		argv[n++] = "-i";
	if (param("kt.debug", 0))
		argv[n++] = "-d";
	argv[n++] = (char *)how;
	argv[n++] = (char *)kernel;
	argv[n++] = initrd;
	argv[n++] = line;
	argv[n] = NULL;
	r = run_kexec(argv);
	if (r)
		printf("KT: kexec %s failed: %d\n", how, r);
	return r ? -1 : 0;
}

/*
 * On a kernel without CONFIG_CRASH_DUMP, loading a capture kernel must fail
 * and must not load anything as the normal kexec image either.
 */
static void crash_load_without_crash_dump(void)
{
	static char page[4096] __attribute__((aligned(4096)));
	struct kexec_segment seg = {
		.buf = page, .bufsz = sizeof(page),
		.mem = (void *)(64UL << 20), .memsz = sizeof(page),
	};
	char buf[64];
	long r;
	int e;

	r = syscall(SYS_kexec_load, (unsigned long)seg.mem, 1UL, &seg,
		    (unsigned long)(KEXEC_ON_CRASH | KEXEC_ARCH_DEFAULT));
	e = errno;
	printf("KT: kexec_load(KEXEC_ON_CRASH) = %ld (%s)\n", r,
	       r ? strerror(e) : "loaded");
	if (!read_file("/sys/kernel/kexec_loaded", buf, sizeof(buf)))
		printf("KT: kexec_loaded %s\n", buf);
	if (load("kt.boot=1", KEXEC_FILE_ON_CRASH) == 0)
		printf("KT: kexec_file_load(KEXEC_FILE_ON_CRASH) = 0 (loaded)\n");
	if (!read_file("/sys/kernel/kexec_loaded", buf, sizeof(buf)))
		printf("KT: kexec_loaded %s\n", buf);
	if (!read_file("/sys/kernel/kexec_crash_loaded", buf, sizeof(buf)))
		printf("KT: kexec_crash_loaded %s\n", buf);
}

/*
 * The notes of /proc/vmcore: one NT_PRSTATUS for each CPU whose registers
 * the crashed kernel saved as it stopped.
 */
static void vmcore_notes(void)
{
	long notes = 0, prstatus = 0;
	Elf64_Ehdr eh;
	Elf64_Phdr ph;
	char *buf;
	size_t off;
	int fd, i;

	fd = open("/proc/vmcore", O_RDONLY);
	if (fd < 0 || pread(fd, &eh, sizeof(eh), 0) != sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64) {
		printf("KT: vmcore notes unreadable\n");
		goto out;
	}
	for (i = 0; i < eh.e_phnum; i++) {
		if (pread(fd, &ph, sizeof(ph), eh.e_phoff + i * eh.e_phentsize) !=
		    sizeof(ph) || ph.p_type != PT_NOTE)
			continue;
		buf = malloc(ph.p_filesz);
		if (!buf || pread(fd, buf, ph.p_filesz, ph.p_offset) !=
			    (ssize_t)ph.p_filesz) {
			free(buf);
			continue;
		}
		for (off = 0; off + sizeof(Elf64_Nhdr) <= ph.p_filesz;) {
			Elf64_Nhdr *n = (Elf64_Nhdr *)(buf + off);

			if (!n->n_namesz && !n->n_descsz && !n->n_type)
				break;
			notes++;
			prstatus += n->n_type == NT_PRSTATUS;
			off += sizeof(*n) + ((n->n_namesz + 3) & ~3U) +
			       ((n->n_descsz + 3) & ~3U);
		}
		free(buf);
	}
	printf("KT: vmcore notes %ld, prstatus %ld\n", notes, prstatus);
out:
	if (fd >= 0)
		close(fd);
}

/*
 * kt.dump=1: copy /proc/vmcore to the host, raw, onto the first virtio
 * disk, which the host gives as a file (kt.py test crash on x86_64).
 */
static void vmcore_dump(void)
{
	static char buf[1 << 20];
	long long total = 0;
	ssize_t n;
	int in, out;

	in = open("/proc/vmcore", O_RDONLY);
	out = open("/dev/vda", O_WRONLY);
	if (in < 0 || out < 0) {
		printf("KT: vmcore dump failed: %s\n", strerror(errno));
		return;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n) {
			printf("KT: vmcore dump: write failed: %s\n",
			       strerror(errno));
			break;
		}
		total += n;
	}
	fsync(out);
	close(out);
	close(in);
	printf("KT: vmcore dumped %lld bytes\n", total);
}

static void power_off(void)
{
	fflush(stdout);
	sync();
	reboot(LINUX_REBOOT_CMD_POWER_OFF);
	for (;;)
		pause();
}

/* kt.hwcpu=N: go on on the CPU whose hardware id (powerpc) is N only. */
static void pin(long hw)
{
	char path[80], buf[32];
	cpu_set_t set;
	int cpu, fd;

	for (cpu = 0; cpu < CPU_SETSIZE; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/physical_id", cpu);
		if (read_file(path, buf, sizeof(buf)) < 0)
			continue;
		if (strtol(buf, NULL, 0) != hw)
			continue;
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set))
			break;
		/* kernel_kexec() moves to the reboot CPU. */
		fd = open("/sys/kernel/reboot/cpu", O_WRONLY);
		snprintf(buf, sizeof(buf), "%d", cpu);
		if (fd < 0 || write(fd, buf, strlen(buf)) < 0)
			break;
		close(fd);
		printf("KT: on cpu %d (hardware %ld)\n", cpu, hw);
		return;
	}
	printf("KT: cannot run on hardware cpu %ld\n", hw);
}

/*
 * kt.lockup=N: a child pinned to CPU N asks lkdtm for HARDLOCKUP, which
 * spins there for good with interrupts off; the kexec then runs with a
 * secondary that never takes its IPI.
 */
static void lockup(long cpu)
{
	cpu_set_t set;
	pid_t pid;
	int fd;

	/*
	 * Off that CPU first: a timer this process sleeps on, queued there,
	 * would never fire.
	 */
	CPU_ZERO(&set);
	CPU_SET(cpu ? 0 : 1, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		printf("KT: cannot leave cpu %ld: %s\n", cpu, strerror(errno));
	pid = fork();
	if (pid == 0) {
		CPU_ZERO(&set);
		CPU_SET(cpu, &set);
		if (sched_setaffinity(0, sizeof(set), &set)) {
			printf("KT: cannot run on cpu %ld: %s\n", cpu,
			       strerror(errno));
			_exit(1);
		}
		fd = open("/sys/kernel/debug/provoke-crash/DIRECT", O_WRONLY);
		printf("KT: cpu %ld locks up (lkdtm HARDLOCKUP)\n", cpu);
		if (fd < 0 || write(fd, "HARDLOCKUP", 10) < 0)
			printf("KT: no lkdtm: %s\n", strerror(errno));
		_exit(1);
	}
	/* Long enough for the child to reach its CPU and spin there. */
	sleep(1);
}

int main(void)
{
	static const char * const drop_boot[] = { "kt.boot=", NULL };
	static const char * const drop_crash[] = { "kt.boot=", "kt.mode=",
						   "crashkernel=", NULL };
	char next[sizeof(cmdline) + 64], add[64], mode[32], tool[32];
	long boot, loops;
	bool tools;
	int fd;

	setvbuf(stdout, NULL, _IONBF, 0);
	mkdir("/proc", 0755);
	mkdir("/sys", 0755);
	mkdir("/dev", 0755);
	mkdir("/tmp", 01777);
	mount("proc", "/proc", "proc", 0, NULL);
	mount("sysfs", "/sys", "sysfs", 0, NULL);
	mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	mount("tmpfs", "/tmp", "tmpfs", 0, NULL);

	cmdline[0] = ' ';
	read_file("/proc/cmdline", cmdline + 1, sizeof(cmdline) - 2);
	strcat(cmdline, " ");
	boot = param("kt.boot", 0);
	loops = param("kt.loops", 1);
	param_str("kt.mode", mode, sizeof(mode));
	param_str("kt.tool", tool, sizeof(tool));
	tools = !strcmp(tool, "kexec-tools");

	kernel = param("kt.next", 0) && boot % 2 == 0 ? "/next" : "/vmlinux";
	if (param("kt.hwcpu", -1) >= 0)
		pin(param("kt.hwcpu", -1));

	printf("KT: boot %ld of %ld, mode %s\n", boot, loops,
	       mode[0] ? mode : "normal");
	report();
	if (param("kt.capture", 0)) {
		struct stat st;

		if (!stat("/proc/vmcore", &st)) {
			printf("KT: vmcore %lld bytes\n", (long long)st.st_size);
			vmcore_notes();
			if (param("kt.dump", 0))
				vmcore_dump();
		} else
			printf("KT: no /proc/vmcore: %s\n", strerror(errno));
		power_off();
	}

	if (!strcmp(mode, "nocrashdump")) {
		crash_load_without_crash_dump();
		power_off();
	}

	if (!strcmp(mode, "crash") && boot == 0) {
		next_cmdline(next, sizeof(next), "kt.boot=1 kt.capture=1",
			     drop_crash);
		if (tools ? load_kexec_tools("-p", next) :
			    load(next, KEXEC_FILE_ON_CRASH))
			power_off();
		printf("KT: capture kernel loaded, panicking\n");
		fd = open("/proc/sysrq-trigger", O_WRONLY);
		if (fd < 0 || write(fd, "c", 1) != 1)
			printf("KT: cannot trigger a crash: %s\n", strerror(errno));
		power_off();
	}

	if (boot < loops && strcmp(mode, "crash")) {
		snprintf(add, sizeof(add), "kt.boot=%ld", boot + 1);
		next_cmdline(next, sizeof(next), add, drop_boot);
		if (tools ? load_kexec_tools("-l", next) : load(next, 0))
			power_off();
		printf("KT: kexec %ld -> %ld (%s%s)\n", boot, boot + 1, kernel,
		       tools ? ", kexec-tools" : "");
		sync();
		if (param("kt.lockup", -1) >= 0)
			lockup(param("kt.lockup", -1));
		if (tools) {
			char *argv[] = { "kexec", "-e", NULL };

			run_kexec(argv);
		} else {
			reboot(LINUX_REBOOT_CMD_KEXEC);
		}
		printf("KT: reboot(KEXEC) failed: %s\n", strerror(errno));
		power_off();
	}

	printf("KT: done after %ld kexecs\n", boot);
	power_off();
	return 0;
}
