import { parseDockerSettings } from '../../../../nodes/CodeInterpreter/backends/docker/settings';
import { firewallEnv, isolationHostConfig } from '../../../../nodes/CodeInterpreter/backends/docker/isolation';

describe('isolationHostConfig', () => {
	it('drops every capability but the four the init needs, and confines the filesystem and resources', () => {
		const config = isolationHostConfig(parseDockerSettings({ memoryMb: 512, cpus: 1.5, pidsLimit: 64, diskMb: 100 }));
		expect(config).toMatchObject({
			CapDrop: ['ALL'],
			CapAdd: ['NET_ADMIN', 'SETUID', 'SETGID', 'SETPCAP'],
			SecurityOpt: ['no-new-privileges', expect.stringMatching(/^seccomp=\{"defaultAction":"SCMP_ACT_ALLOW".*"io_uring_setup"/)],
			ReadonlyRootfs: true,
			Memory: 512 * 2 ** 20,
			MemorySwap: 512 * 2 ** 20,
			NanoCpus: 1.5e9,
			PidsLimit: 64,
		});
		expect(config.Tmpfs?.['/home/user']).toBe('rw,nosuid,nodev,size=100m,uid=1900000000,gid=1900000000,mode=0755');
		expect(config.Tmpfs?.['/tmp']).toBe('rw,nosuid,nodev,size=100m,mode=1777');
		expect(config).not.toHaveProperty('Runtime');
		expect(config).not.toHaveProperty('Binds');
	});

	it('uses the runtime the credential names', () => {
		expect(isolationHostConfig(parseDockerSettings({ runtime: 'runsc' })).Runtime).toBe('runsc');
	});
});

describe('firewallEnv', () => {
	it('keeps the network off unless asked, and always blocks this host\'s addresses', () => {
		expect(firewallEnv(false)[0]).toBe('SANDBOX_NETWORK=off');
		expect(firewallEnv(true)[0]).toBe('SANDBOX_NETWORK=on');
		expect(firewallEnv(true)[1]).toMatch(/^SANDBOX_BLOCKED_ADDRESSES=/);
		expect(firewallEnv(true)[1]).not.toContain('127.0.0.1');
	});
});
