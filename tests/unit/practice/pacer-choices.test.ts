import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { loadPacerChoices, savePacerChoices } from '../../../src/lib/practice/pacer-choices';
import { loadPacerDefault } from '../../../src/lib/practice/pacer-default';

/** A localStorage of this test's own (the unit tests run in Node, which has none). */
function memoryStorage(): Storage {
	const items = new Map<string, string>();
	return {
		get length() {
			return items.size;
		},
		clear: () => items.clear(),
		getItem: (k) => items.get(k) ?? null,
		key: (i) => [...items.keys()][i] ?? null,
		removeItem: (k) => void items.delete(k),
		setItem: (k, v) => void items.set(k, String(v))
	};
}

describe('the breathing guide as the person left it', () => {
	beforeEach(() => vi.stubGlobal('localStorage', memoryStorage()));
	afterEach(() => vi.unstubAllGlobals());

	it('keeps shown, tones, mode and rhythm for the next visit', () => {
		savePacerChoices({
			pacerVisible: false,
			tones: true,
			pacerMode: 'ease',
			pattern: { inhaleS: 4.8, exhaleS: 7.2 }
		});
		expect(loadPacerChoices()).toEqual({ pacerVisible: false, tones: true, pacerMode: 'ease' });
		expect(loadPacerDefault()).toEqual({ inhaleS: 4.8, exhaleS: 7.2 });
	});

	it('gives nothing before any choice, so the flow keeps its defaults', () => {
		expect(loadPacerChoices()).toEqual({});
		expect(loadPacerDefault()).toEqual({ inhaleS: 4, exhaleS: 6 });
	});

	it('leaves out what it cannot read, and keeps what it can', () => {
		localStorage.setItem(
			'settle.pacer-choices',
			JSON.stringify({ pacerVisible: 'yes', tones: false, pacerMode: 'wander' })
		);
		expect(loadPacerChoices()).toEqual({ tones: false });
		localStorage.setItem('settle.pacer-choices', '{not json');
		expect(loadPacerChoices()).toEqual({});
		localStorage.setItem('settle.pacer-choices', 'null');
		expect(loadPacerChoices()).toEqual({});
	});

	it('works on with storage blocked: nothing kept, nothing thrown', () => {
		vi.stubGlobal('localStorage', {
			getItem: () => {
				throw new DOMException('blocked', 'SecurityError');
			},
			setItem: () => {
				throw new DOMException('full', 'QuotaExceededError');
			}
		});
		expect(() =>
			savePacerChoices({
				pacerVisible: true,
				tones: false,
				pacerMode: 'follow',
				pattern: { inhaleS: 4, exhaleS: 6 }
			})
		).not.toThrow();
		expect(loadPacerChoices()).toEqual({});
		expect(loadPacerDefault()).toEqual({ inhaleS: 4, exhaleS: 6 });
	});
});
