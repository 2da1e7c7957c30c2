# kexec-teardown: a kexec teardown registry for Linux 6.12, as a patch series.
#
#   make demo     build a patched ppc64le pseries kernel, boot it in QEMU,
#                 kexec into itself and show the teardown that ran;
#                 make demo ARCH=x86_64: the same on x86_64 (QEMU q35)
#   make check    run every check; ends with "N passed, N failed"
#
# Other targets:
#   make deps     install the Debian packages everything needs (apt-get)
#   make tree     build/linux: Debian's 6.12 source as git, one commit a patch
#   make series   build/series: the series as git format-patch mails
#   make soak     50 kexecs at -smp 8 of unpatched 6.12 and of the series,
#                 radix and hash, alternating: lost CPUs and hangs (~1 h)
#   make bench    kexec latency of 6.12 and of the series at -smp 1 to 8
#                 (ppc64le radix and hash, x86_64), phase timings,
#                 dispatch cost: table, CSV and plot
#   make clean    remove build/
#
# The kernel source comes from /usr/src/linux-source-6.12.tar.xz; all output
# goes to build/.

.PHONY: all demo check baseline fixes deps tree series soak bench clean

all: check

# The demo's guest architecture: ppc64le (default) or x86_64.
DEMO_ARCH = $(or $(ARCH),ppc64le)

demo: tree
	@mk/e2e/build.sh build/linux build/e2e-$(DEMO_ARCH) $(DEMO_ARCH) \
		> build/demo-build.log 2>&1 || \
		{ tail -n 30 build/demo-build.log; exit 1; }
	@mk/e2e/kt.py --arch $(DEMO_ARCH) demo

deps:
	@mk/deps.sh

tree: deps
	@python3 mk/series.py import

series: tree
	@python3 mk/series.py format

check: deps
	@mk/check.sh $(CHECKS)

# The records of unpatched 6.12 that need a kernel build of their own.
baseline: deps
	@mk/check.sh --baseline

# The powerpc fixes alone, before the registry (mk/fixes.sh).
fixes: tree
	@mk/fixes.sh

soak: tree
	@python3 mk/series.py base
	@mk/e2e/build.sh > build/soak-build.log 2>&1 && \
	 mk/e2e/build.sh build/linux-base build/e2e-base >> build/soak-build.log 2>&1 || \
		{ tail -n 30 build/soak-build.log; exit 1; }
	@mk/e2e/kt.py soak --smp 8 --kexecs $(or $(KEXECS),50) | tee build/soak.txt

bench: tree
	@mk/deps.sh python3-matplotlib
	@python3 mk/series.py base
	@mk/e2e/build.sh > build/bench-build.log 2>&1 && \
	 mk/e2e/build.sh build/linux-base build/e2e-base >> build/bench-build.log 2>&1 && \
	 mk/e2e/build.sh build/linux build/e2e-x86_64 x86_64 >> build/bench-build.log 2>&1 && \
	 mk/e2e/build.sh build/linux-base build/e2e-x86_64-base x86_64 \
		>> build/bench-build.log 2>&1 || \
		{ tail -n 30 build/bench-build.log; exit 1; }
	@/usr/bin/python3 mk/bench.py

clean:
	rm -rf build
