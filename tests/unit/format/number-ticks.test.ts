import { describe, expect, it } from 'vitest';
import { Ticks } from 'chart.js';
import { numberTick } from '$lib/components/charts/number-ticks';

/** Chart.js's own numeric tick label, in English. */
function chartJs(value: number, index: number, ticks: { value: number }[]): string {
	const scale = { chart: { options: { locale: 'en-US' } }, options: { ticks: { format: {} } } };
	return String(Ticks.formatters.numeric.call(scale as never, value, index, ticks as never));
}

describe('numberTick', () => {
	it('writes the decimals Chart.js writes, without Intl', () => {
		const scales = [
			[0, 0.2, 0.4, 0.6, 0.8, 1],
			[3.1, 3.15, 3.2, 3.25],
			[-2, -1, 0, 1, 2],
			[40, 50, 60, 70, 80, 90],
			[0.001, 0.002, 0.003],
			[55.5, 60, 65, 70],
			[-60, -45, -30, -15, 0],
			[0, 250, 500, 750]
		];
		for (const values of scales) {
			const ticks = values.map((value) => ({ value }));
			values.forEach((v, i) =>
				expect(numberTick(v, i, ticks), `${v} in ${values}`).toBe(chartJs(v, i, ticks))
			);
		}
		expect(numberTick(4.2, 0, [{ value: 4.2 }])).toBe(chartJs(4.2, 0, [{ value: 4.2 }]));
	});

	it('writes thousands without a separator, as the rest of the app, below 10,000', () => {
		const ticks = [800, 1000, 1200].map((value) => ({ value }));
		expect(numberTick(1000, 1, ticks)).toBe('1000');
	});

	it('sets thousands apart from 10,000 up, so a power spectrum axis reads at a glance', () => {
		const t = [0, 2_000_000, 4_000_000, 6_000_000, 8_000_000].map((value) => ({ value }));
		expect(numberTick(8_000_000, 4, t)).toBe('8\u202f000\u202f000');
		expect(numberTick(0, 0, t)).toBe('0');
		const negative = [-20_000, -10_000, 0].map((value) => ({ value }));
		expect(numberTick(-20_000, 0, negative)).toBe('-20\u202f000');
		const fine = [12_500, 12_500.5, 12_501].map((value) => ({ value }));
		expect(numberTick(12_500.5, 1, fine)).toBe('12\u202f500.5');
	});
});
