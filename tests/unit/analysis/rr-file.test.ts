import { describe, expect, it } from 'vitest';
import { parseRrText } from '$lib/analysis';

describe('parseRrText', () => {
	it('reads one value per line in ms', () => {
		const r = parseRrText('812\n830.5\n\n799\n');
		expect(r).toEqual({
			ok: true,
			rrMs: Float64Array.from([812, 830.5, 799]),
			unit: 'ms',
			column: undefined,
			outOfRange: []
		});
	});
	it('keeps the odd pause or drop-out, flagged, and refuses files where they are common', () => {
		const rr = Array.from({ length: 50 }, () => '800');
		rr[10] = '5359.375';
		rr[30] = '150';
		const r = parseRrText(rr.join('\n'));
		expect(r.ok && r.outOfRange).toEqual([10, 30]);
		expect(r.ok && r.rrMs[10]).toBe(5359.375);
		rr[40] = '60000';
		expect(parseRrText(rr.join('\n'))).toMatchObject({
			ok: false,
			line: 41,
			reason: '60000 ms is not a plausible RR interval (200-3000 ms)'
		});
		const many = Array.from({ length: 20 }, (_, i) => (i % 3 ? '800' : '4000')).join('\n');
		expect(parseRrText(many)).toMatchObject({
			ok: false,
			line: 1,
			reason:
				'7 of 20 values are outside 200-3000 ms (the first is 4000 ms): not an RR recording, or the wrong unit'
		});
	});
	it('detects seconds', () => {
		const r = parseRrText('0.812\r\n0.830\r\n0.799\r\n');
		expect(r.ok && [...r.rrMs]).toEqual([812, 830, 799]);
		expect(r.ok && r.unit).toBe('s');
	});
	it('reads the RR column of a CSV with a header, any delimiter', () => {
		const csv = 'timestamp,rr,hr\n1,800,75\n2,810,74\n3,790,76\n';
		expect(parseRrText(csv)).toMatchObject({ ok: true, column: 'rr' });
		const polar =
			'Phone timestamp;RR-interval [ms]\n2024-01-01T10:00:00;800\n2024-01-01T10:00:01;812\n2024-01-01T10:00:02;790\n';
		const r = parseRrText(polar);
		expect(r.ok && [...r.rrMs]).toEqual([800, 812, 790]);
		expect(parseRrText('time\tIBI\n0\t0.8\n1\t0.81\n2\t0.79\n')).toMatchObject({
			ok: true,
			unit: 's'
		});
	});
	it('reads a comma-separated list', () => {
		const r = parseRrText('800,810,790,805\n');
		expect(r.ok && r.rrMs.length).toBe(4);
	});
	it('names the line and the reason for every kind of bad file', () => {
		expect(parseRrText('')).toMatchObject({ ok: false, reason: 'the file holds no RR values' });
		expect(parseRrText('800\n8x0\n')).toMatchObject({
			ok: false,
			line: 2,
			reason: '"8x0" is not a number'
		});
		expect(parseRrText('time,hr\n1,70\n')).toMatchObject({ ok: false, line: 1 });
		expect(parseRrText('800\n810\n12000\n')).toMatchObject({ ok: false, line: 3 });
		expect(parseRrText('rr,hr\n800,70\n,71\n')).toMatchObject({
			ok: false,
			line: 3,
			reason: 'the RR value is missing'
		});
		expect(parseRrText('800\n')).toMatchObject({
			ok: false,
			reason: 'too few RR values (at least 3)'
		});
	});
});
