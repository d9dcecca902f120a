/** The PMD link against a fake GATT server that answers like an H10 (or refuses, or stays silent). */
import { describe, expect, it, vi } from 'vitest';
import { PmdLink } from '$lib/strap/pmd/pmd-link';
import { encodeAccFrame } from '$lib/strap/pmd/acc-frame';
import { PMD_CONTROL_POINT, PMD_DATA, PMD_SERVICE } from '$lib/strap/pmd/uuids';
import type { MovementLink, MovementSamples } from '$lib/strap/types';

const H10_ACC_SETTINGS = [
	0xf0, 1, 2, 0, 0, 0, 4, 25, 0, 50, 0, 100, 0, 200, 0, 1, 1, 16, 0, 2, 3, 2, 0, 4, 0, 8, 0
];

class FakeChar extends EventTarget {
	value?: DataView;
	written: number[][] = [];
	answer?: (bytes: number[]) => number[] | undefined;
	async startNotifications() {
		return this;
	}
	async writeValueWithResponse(bytes: Uint8Array) {
		this.written.push(Array.from(bytes));
		const reply = this.answer?.(Array.from(bytes));
		if (reply) queueMicrotask(() => this.push(reply));
	}
	push(bytes: number[] | Uint8Array) {
		this.value = new DataView(Uint8Array.from(bytes).buffer);
		this.dispatchEvent(new Event('characteristicvaluechanged'));
	}
}

function h10(startStatus = 0) {
	const cp = new FakeChar();
	const data = new FakeChar();
	cp.answer = (b) => {
		if (b[0] === 1) return H10_ACC_SETTINGS;
		if (b[0] === 2) return [0xf0, 2, 2, startStatus, 0];
		if (b[0] === 3) return [0xf0, 3, 2, 0, 0];
	};
	const chars: Record<string, FakeChar> = { [PMD_CONTROL_POINT]: cp, [PMD_DATA]: data };
	const service = { getCharacteristic: async (uuid: string) => chars[uuid] };
	const server = {
		getPrimaryService: async (uuid: string) => {
			if (uuid !== PMD_SERVICE) throw new Error('NotFoundError');
			return service;
		}
	};
	return { cp, data, server: server as unknown as BluetoothRemoteGATTServer };
}

function link() {
	const statuses: MovementLink[] = [];
	const samples: MovementSamples[] = [];
	const bad: string[] = [];
	const pmd = new PmdLink({
		onStatus: (s) => statuses.push(s),
		onSamples: (s) => samples.push(s),
		onBadFrame: (m) => bad.push(m)
	});
	return { pmd, statuses, samples, bad };
}

describe('PmdLink', () => {
	it('asks the settings, starts ACC with every setting, streams samples, stops', async () => {
		const strap = h10();
		const { pmd, statuses, samples, bad } = link();
		expect(await pmd.attach(strap.server)).toBe(true);
		expect(await pmd.start()).toBe(true);
		expect(strap.cp.written).toEqual([
			[1, 2],
			[2, 2, 0, 1, 25, 0, 1, 1, 16, 0, 2, 1, 2, 0]
		]);
		expect(statuses.map((s) => s.state)).toEqual(['available', 'starting', 'streaming']);
		strap.data.push(encodeAccFrame(10_000_000_000n, [1, 2, 1000, 3, 4, 1001]));
		strap.data.push([2, 0, 0]);
		expect(samples).toHaveLength(1);
		expect(Array.from(samples[0].xyz)).toEqual([1, 2, 1000, 3, 4, 1001]);
		expect(samples[0].timeMs[1] - samples[0].timeMs[0]).toBeCloseTo(40, 6);
		expect(bad).toHaveLength(1);
		await pmd.stop();
		expect(strap.cp.written.at(-1)).toEqual([3, 2]);
	});
	it('says in words when the strap refuses the start', async () => {
		const strap = h10(5);
		const { pmd, statuses } = link();
		await pmd.attach(strap.server);
		expect(await pmd.start()).toBe(false);
		expect(statuses.at(-1)?.state).toBe('failed');
		expect(statuses.at(-1)?.message).toMatch(
			/refused to start its movement sensor \(invalid parameter\).*estimated from the heart/
		);
	});
	it('gives up on a silent strap after a few seconds, in words', async () => {
		vi.useFakeTimers();
		try {
			const strap = h10();
			strap.cp.answer = () => undefined;
			const { pmd, statuses } = link();
			const attached = pmd.attach(strap.server);
			await vi.advanceTimersByTimeAsync(5000);
			expect(await attached).toBe(false);
			expect(statuses.at(-1)?.message).toMatch(/did not answer/);
		} finally {
			vi.useRealTimers();
		}
	});
	it('reports no service for a strap without PMD, saying nothing', async () => {
		const { pmd, statuses } = link();
		const server = {
			getPrimaryService: async () => {
				throw new Error('NotFoundError');
			}
		} as unknown as BluetoothRemoteGATTServer;
		expect(await pmd.attach(server)).toBe(false);
		expect(statuses).toHaveLength(0);
	});
});
