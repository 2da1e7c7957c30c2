# kunit.py --qemu_config for a little-endian pseries guest with 4 CPUs and
# kexec, so that the per-CPU tests see several CPUs.  Radix is the default
# MMU; pass --kernel_args=disable_radix for the hash MMU.
#
# The kernel is also booted, with kunit.enable=0 and the end-to-end /init,
# to check that a kernel without crash dump support refuses to load a
# capture kernel (mk/e2e/kt.py test nocrashdump): hence the initramfs
# support, VSX for a glibc static /init, and CRASH_DUMP off.
from ..qemu_config import QemuArchParams

QEMU_ARCH = QemuArchParams(linux_arch='powerpc',
			   kconfig='''
CONFIG_PPC64=y
CONFIG_CPU_LITTLE_ENDIAN=y
CONFIG_PPC_PSERIES=y
CONFIG_PPC_RADIX_MMU=y
CONFIG_PPC_64S_HASH_MMU=y
CONFIG_SMP=y
CONFIG_NR_CPUS=8
CONFIG_KEXEC=y
CONFIG_KEXEC_FILE=y
# CONFIG_CRASH_DUMP is not set
CONFIG_BLK_DEV_INITRD=y
CONFIG_ALTIVEC=y
CONFIG_VSX=y
CONFIG_HVC_CONSOLE=y''',
			   qemu_arch='ppc64',
			   kernel_path='vmlinux',
			   kernel_command_line='console=hvc0',
			   extra_qemu_params=['-M', 'pseries', '-cpu', 'POWER9',
					      '-smp', '4', '-m', '1G'])
