/**
 * Reading in slices (issue 34): lines and cells found as they are read give what splitting gives,
 * a file read in slices gives what reading it at once gives, a slice ends when its time is up and
 * a signal stops the reading between slices; files longer than a recording can be are refused,
 * saying how long they would be, in every format and unit.
 */
import { describe, expect, it } from 'vitest';
import {
	RR_MAX_RECORDING_HOURS,
	readRrBytes,
	readRrInSlices,
	readRrText,
	runInSlices
} from '$lib/analysis';
import { cellNumber, splitCells, type Delimiter } from '$lib/analysis/import/columns';
import { Cells, Lines } from '$lib/analysis/import/lines';
import { runSync, type Sliced } from '$lib/analysis/import/slices';
import { probe } from '$lib/analysis/import/table';
import { mixedFolder, utf8 } from '../../e2e/fixtures/import-files/formats';

function random(seed: number) {
	let s = seed;
	return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

describe('lines and cells', () => {
	const pieces = [
		'800',
		'0,812',
		' ',
		'\t',
		';',
		',',
		'\n',
		'\r\n',
		'\r',
		'\n\n',
		'"7"',
		'\u00a0',
		'x'
	];
	const texts = Array.from({ length: 300 }, (_, k) => {
		const rnd = random(k + 1);
		let t = '';
		for (let i = 0, n = Math.floor(rnd() * 60); i < n; i++)
			t += pieces[Math.floor(rnd() * pieces.length)];
		return t;
	});

	it('finds the lines split(/\\r\\n|\\n|\\r/) gives, forward, backward and past the end', () => {
		for (const text of texts) {
			const expected = text.split(/\r\n|\n|\r/);
			const lines = new Lines(text);
			expect(lines.count()).toBe(expected.length);
			// Backward from the end, then forward again, then beyond the last line.
			for (let i = expected.length - 1; i >= 0; i--) expect(lines.at(i)).toBe(expected[i]);
			for (let i = 0; i < expected.length; i++) expect(lines.at(i)).toBe(expected[i]);
			expect(lines.at(expected.length)).toBeUndefined();
			expect(lines.at(-1)).toBeUndefined();
		}
	});

	it('finds the same lines and cells in a text given in pieces', () => {
		for (const [k, text] of texts.entries()) {
			const rnd = random(k + 100);
			// Cut anywhere but between "\r" and "\n" (the decoder never cuts there).
			const pieces: string[] = [];
			for (let i = 0; i < text.length;) {
				let end = Math.min(text.length, i + 1 + Math.floor(rnd() * 6));
				if (text[end - 1] === '\r' && text[end] === '\n') end++;
				pieces.push(text.slice(i, end));
				i = end;
			}
			const expected = text.split(/\r\n|\n|\r/);
			const lines = new Lines(pieces);
			expect(lines.count(), JSON.stringify(pieces)).toBe(expected.length);
			for (let i = 0; i < expected.length; i++) {
				expect(lines.at(i), JSON.stringify(pieces)).toBe(expected[i]);
				expect(lines.isLong(i)).toBe(false);
				for (const delim of [' ', ';', ','] as Delimiter[]) {
					const cells = lines.cells(i, delim);
					const got: string[] = [];
					for (let c = cells.next(); c !== undefined; c = cells.next()) got.push(c);
					expect(got).toEqual(splitCells(expected[i], delim));
				}
			}
		}
	});

	it('gives the start of a line longer than a million characters, and all its cells', () => {
		const values = Array.from({ length: 300_000 }, (_, i) => String(800 + (i % 300)));
		const text = `# a comment\n${values.join(' ')}\n812\n`;
		const pieces: string[] = [];
		for (let i = 0; i < text.length; i += 100_003) pieces.push(text.slice(i, i + 100_003));
		const lines = new Lines(pieces);
		expect(lines.isLong(1)).toBe(true);
		expect(lines.at(1)).toBe(text.slice(12, 12 + (1 << 20)));
		expect(lines.at(2)).toBe('812');
		expect(lines.isLong(2)).toBe(false);
		const cells = lines.cells(1, ' ');
		const got: number[] = [];
		// A cell cut by a piece's end comes as its text.
		for (let v = cells.nextNumber(false); v !== undefined; v = cells.nextNumber(false))
			got.push(typeof v === 'number' ? v : Number(v));
		expect(got).toEqual(values.map(Number));
		expect(lines.count()).toBe(4);
	});

	it('reads plain numbers without strings exactly as Number() reads them', () => {
		const rnd = random(5);
		const cells = [
			'812',
			'-0',
			'0812',
			'.5',
			'-.5',
			'5.',
			'1e3',
			'+5',
			'0x1f',
			'1,5',
			'1.5.1',
			'-',
			''
		]
			.concat(
				Array.from({ length: 2000 }, () =>
					(rnd() * 10 ** Math.floor(rnd() * 8)).toFixed(Math.floor(rnd() * 9))
				)
			)
			.concat(Array.from({ length: 200 }, () => String(Math.floor(rnd() * 1e17))))
			.concat(['"812"', ' 812 ', '812 ', '0,812', '1,2,3', '12,5']);
		for (const delim of [' ', ';', '\t', ','] as Delimiter[])
			for (const decimalComma of [false, true]) {
				if (delim === ' ' && cells.some((c) => c.includes(' '))) continue;
				const line = cells
					.filter((c) => !c.includes(delim) && (delim !== ' ' || c !== ''))
					.join(delim);
				const plain = new Cells(line, delim);
				const fast = new Cells(line, delim);
				for (;;) {
					const c = plain.next();
					const f = fast.nextNumber(decimalComma);
					if (c === undefined) {
						expect(f).toBeUndefined();
						break;
					}
					const want = cellNumber(c, decimalComma);
					const got = typeof f === 'number' ? f : cellNumber(f!, decimalComma);
					expect(
						Object.is(got, want) || (Number.isNaN(got) && Number.isNaN(want)),
						`${c} ${delim}`
					).toBe(true);
				}
			}
	});

	it('goes back past the lines whose starts it keeps', () => {
		const text = Array.from({ length: 10_000 }, (_, i) => String(i)).join('\r\n');
		const lines = new Lines(text);
		expect(lines.at(9_999)).toBe('9999');
		expect(lines.at(5_000)).toBe('5000');
		expect(lines.at(4_095)).toBe('4095');
		expect(lines.at(7)).toBe('7');
		expect(lines.count()).toBe(10_000);
	});

	it('gives the cells splitCells gives, one at a time', () => {
		const line = [' 800 ', '"810"', '', ' " 7 " ', '0,5', '1\u00a02', '\t9\t'];
		for (const delim of [' ', '\t', ';', ','] as Delimiter[])
			for (const text of [...texts, line.join(delim), line.join(`${delim}${delim}`)])
				for (const l of text.split(/\r\n|\n|\r/)) {
					const cells = new Cells(l, delim);
					const got: string[] = [];
					for (let c = cells.next(); c !== undefined; c = cells.next()) got.push(c);
					expect(got, JSON.stringify([l, delim])).toEqual(splitCells(l, delim));
				}
	});

	it('tells the format of a long line from its start, cut after a whole value', () => {
		const long = Array.from({ length: 40_000 }, (_, i) => String(800 + (i % 300))).join(' ');
		const p = probe(long);
		expect(p.length).toBeLessThanOrEqual(1 << 16);
		expect(long.startsWith(p)).toBe(true);
		expect(long[p.length]).toBe(' ');
		const commas = long.replaceAll(' ', ',');
		expect(commas[probe(commas).length]).toBe(',');
		expect(probe('812 830')).toBe('812 830');
	});
});

describe('reading in slices', () => {
	it('reads every format as reading at once does', async () => {
		for (const f of mixedFolder())
			expect(await readRrInSlices(f.bytes, f.name), f.name).toEqual(readRrBytes(f.bytes, f.name));
		const text = '0.812\n0.830\n0.799\n';
		expect(await readRrInSlices(text)).toEqual(readRrText(text));
	});

	it('gives the page a turn when a slice has run its time, and stops there when told', async () => {
		function* work(n: number): Sliced<number> {
			let i = 0;
			for (; i < n; i++) {
				const until = performance.now() + 1;
				while (performance.now() < until);
				yield;
			}
			return i;
		}
		let turns = 0;
		const ticking = setInterval(() => turns++, 0);
		try {
			expect(await runInSlices(work(60), { sliceMs: 10 })).toBe(60);
			expect(turns).toBeGreaterThanOrEqual(3);
		} finally {
			clearInterval(ticking);
		}
		expect(runSync(work(5))).toBe(5);
		const abort = new AbortController();
		const stopped = runInSlices(work(10_000), { sliceMs: 5, signal: abort.signal });
		setTimeout(() => abort.abort(), 20);
		const t0 = performance.now();
		await expect(stopped).rejects.toMatchObject({ name: 'AbortError' });
		expect(performance.now() - t0).toBeLessThan(2_000);
	});
});

describe('recordings longer than Settle imports', () => {
	const H = 3_600_000;
	it(`imports ${RR_MAX_RECORDING_HOURS} hours and refuses a minute more, saying how long`, () => {
		const exact = Array.from({ length: (RR_MAX_RECORDING_HOURS * H) / 1000 }, () => '1000');
		expect(readRrText(exact.join('\n'))).toMatchObject({ ok: true, unit: 'ms' });
		const over = [...exact, ...Array.from({ length: 60 }, () => '1000')];
		expect(readRrText(over.join('\n'))).toEqual({
			ok: false,
			line: 0,
			reason: `it would be a recording 48 hours 1 minute long (172,860 intervals); Settle imports recordings of up to 48 hours: split the file into parts of 48 hours or less`
		});
	}, 60_000);

	it('refuses long files of every layout, in ms and in seconds', () => {
		// 60 hours of 0.9 s beats (240,000), as Welltory's line, a column in s, a Polar table.
		const rr = Array.from({ length: 240_000 }, (_, i) => 900 + (i % 7) - 3);
		const cases: [string, string][] = [
			['one line', rr.join(' ')],
			['column in s', rr.map((v) => (v / 1000).toFixed(3)).join('\r\n')],
			['header', `RR (ms)\n${rr.join('\n')}`],
			[
				'Polar table',
				`Phone timestamp;RR-interval [ms]\n${rr.map((v) => `2024-03-05T07:12:44.120;${v}`).join('\n')}`
			],
			[
				'time and RR',
				rr.map((v, i) => `${(i * 0.9).toFixed(3)} ${(v / 1000).toFixed(3)}`).join('\n')
			]
		];
		for (const [label, text] of cases) {
			const r = readRrText(text);
			expect(r, label).toMatchObject({ ok: false, line: 0 });
			if (!r.ok)
				expect(r.reason, label).toMatch(
					/^it would be a recording 60 hours long \(240,000 intervals\); Settle imports recordings of up to 48 hours/
				);
		}
	}, 60_000);

	it('counts and adds up past the values it keeps: two million and more', () => {
		// 2.5 million values: a column in seconds (the unit is told from those kept) …
		const column = new Array<string>(2_500_000).fill('0.8').join('\n');
		expect(readRrText(column)).toMatchObject({
			ok: false,
			line: 0,
			reason: expect.stringMatching(
				/^it would be a recording 556 hours \(23 days\) long \(2,500,000 intervals\)/
			)
		});
		// … and 1.2 million rows of a time and an RR column: the RR column's sum, not both.
		const rows: string[] = [];
		for (let i = 0; i < 1_200_000; i++) rows.push(`${(i * 0.8).toFixed(1)} 0.8`);
		expect(readRrText(rows.join('\n'))).toMatchObject({
			ok: false,
			reason: expect.stringMatching(
				/^it would be a recording 267 hours \(11 days\) long \(1,200,000 intervals\)/
			)
		});
		// A value no heart beats at is still named by its line in a file of any length.
		const bad = ['800', '810', '99999', ...new Array<string>(300_000).fill('800')];
		expect(readRrText(bad.join('\n'))).toMatchObject({ ok: false, line: 3 });
	}, 60_000);

	it('quotes a long cell it cannot read by its start only', () => {
		const r = readRrBytes(utf8(`800\n${'8'.repeat(100)}x\n`));
		expect(r).toEqual({ ok: false, line: 2, reason: `"${'8'.repeat(40)}…" is not a number` });
	});
});
