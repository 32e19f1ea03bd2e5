/**
 * The package's own seccomp profile, in Docker's format (https://docs.docker.com/engine/security/seccomp/), passed
 * as `seccomp=<JSON>` in the container's SecurityOpt. Sandboxes run with no capabilities, so what needs one fails
 * anyway; this profile refuses what an unprivileged process could still use to attack the host's kernel, on any
 * engine version: io_uring (allowed by older engines' default profile), new namespaces (user namespaces above all),
 * the kernel keyring, BPF, userfaultfd, perf events, ptrace and reading other processes' memory, and the calls that
 * only an administrator of the host would make. Everything else is allowed, as in Docker's own default.
 */
const EPERM = 1;
const ENOSYS = 38;

const REFUSED = [
	// Asynchronous I/O rings: a large kernel surface that older default profiles let through.
	'io_uring_setup',
	'io_uring_enter',
	'io_uring_register',
	// Namespaces, mounts and the root directory.
	'unshare',
	'setns',
	'mount',
	'umount',
	'umount2',
	'pivot_root',
	'fsopen',
	'fsconfig',
	'fsmount',
	'fspick',
	'move_mount',
	'open_tree',
	// Kernel keyring, BPF, userfaultfd, perf: not namespaced, or a frequent source of kernel exploits.
	'add_key',
	'request_key',
	'keyctl',
	'bpf',
	'userfaultfd',
	'perf_event_open',
	// Other processes: tracing them, reading their memory, comparing their kernel objects.
	'ptrace',
	'process_vm_readv',
	'process_vm_writev',
	'kcmp',
	'name_to_handle_at',
	'open_by_handle_at',
	// The host's administration: modules, clocks, swap, reboot, accounting, quotas, the kernel log.
	'init_module',
	'finit_module',
	'delete_module',
	'create_module',
	'query_module',
	'get_kernel_syms',
	'kexec_load',
	'kexec_file_load',
	'reboot',
	'swapon',
	'swapoff',
	'acct',
	'quotactl',
	'syslog',
	'settimeofday',
	'clock_settime',
	'clock_adjtime',
	'stime',
	'iopl',
	'ioperm',
	'lookup_dcookie',
	'nfsservctl',
	'uselib',
	'ustat',
	'sysfs',
	'_sysctl',
	'vm86',
	'vm86old',
];

/** clone() flags that make a new namespace (linux/sched.h). */
const NAMESPACE_FLAGS = {
	CLONE_NEWNS: 0x00020000,
	CLONE_NEWCGROUP: 0x02000000,
	CLONE_NEWUTS: 0x04000000,
	CLONE_NEWIPC: 0x08000000,
	CLONE_NEWUSER: 0x10000000,
	CLONE_NEWPID: 0x20000000,
	CLONE_NEWNET: 0x40000000,
};

const profile = {
	defaultAction: 'SCMP_ACT_ALLOW',
	architectures: ['SCMP_ARCH_X86_64', 'SCMP_ARCH_X86', 'SCMP_ARCH_X32', 'SCMP_ARCH_AARCH64', 'SCMP_ARCH_ARM'],
	syscalls: [
		{ names: REFUSED, action: 'SCMP_ACT_ERRNO', errnoRet: EPERM },
		// clone3 passes its flags in memory, which seccomp cannot read: "not implemented" makes the C library fall
		// back to clone, whose flags are checked below.
		{ names: ['clone3'], action: 'SCMP_ACT_ERRNO', errnoRet: ENOSYS },
		...Object.values(NAMESPACE_FLAGS).map((flag) => ({
			names: ['clone'],
			action: 'SCMP_ACT_ERRNO',
			errnoRet: EPERM,
			args: [{ index: 0, value: flag, valueTwo: flag, op: 'SCMP_CMP_MASKED_EQ' }],
		})),
	],
};

export const SECCOMP_PROFILE = JSON.stringify(profile);
