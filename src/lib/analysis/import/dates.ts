/**
 * Dates as recording apps write them, to epoch ms. Without a zone a date is local time (the phone's
 * clock when it was written). Pure; undefined whenever a date is not certain (a day and month that
 * could be either way round stay unread rather than guessed).
 */

const MONTHS: Record<string, number> = {};
const names: [number, string[]][] = [
	[1, ['january', 'jan', 'gennaio', 'gen', 'januar', 'janvier', 'janv', 'enero', 'ene']],
	[2, ['february', 'feb', 'febbraio', 'februar', 'février', 'fevrier', 'févr', 'febrero']],
	[3, ['march', 'mar', 'marzo', 'märz', 'maerz', 'mars']],
	[4, ['april', 'apr', 'aprile', 'avril', 'avr', 'abril', 'abr']],
	[5, ['may', 'maggio', 'mag', 'mai', 'mayo']],
	[6, ['june', 'jun', 'giugno', 'giu', 'juni', 'juin', 'junio']],
	[7, ['july', 'jul', 'luglio', 'lug', 'juli', 'juillet', 'juil', 'julio']],
	[8, ['august', 'aug', 'agosto', 'ago', 'août', 'aout']],
	[9, ['september', 'sep', 'sept', 'settembre', 'set', 'septembre', 'septiembre']],
	[10, ['october', 'oct', 'ottobre', 'ott', 'oktober', 'okt', 'octobre', 'octubre']],
	[11, ['november', 'nov', 'novembre', 'noviembre']],
	[12, ['december', 'dec', 'dicembre', 'dic', 'dezember', 'dez', 'décembre', 'diciembre']]
];
for (const [m, list] of names) for (const n of list) MONTHS[n] = m;

function monthNumber(word: string): number | undefined {
	const w = word.toLowerCase().replace(/\.$/, '');
	const cjk = w.match(/^(\d{1,2})月$/);
	if (cjk) return +cjk[1];
	return MONTHS[w];
}

/** A local (or zoned) date-time from its parts; undefined unless every part is in range. */
function dateFromParts(
	y: number,
	mo: number,
	d: number,
	h = 0,
	mi = 0,
	s = 0,
	ms = 0,
	zoneMinutes?: number
): number | undefined {
	if (y < 1980 || y > 2100 || mo < 1 || mo > 12 || d < 1 || d > 31) return undefined;
	if (h > 23 || mi > 59 || s > 60) return undefined;
	if (zoneMinutes !== undefined) {
		if (new Date(Date.UTC(y, mo - 1, d)).getUTCDate() !== d) return undefined;
		return Date.UTC(y, mo - 1, d, h, mi, s, ms) - zoneMinutes * 60_000;
	}
	const date = new Date(y, mo - 1, d, h, mi, s, ms);
	return date.getDate() === d ? date.getTime() : undefined;
}

function zone(z: string | undefined): number | undefined {
	if (!z) return undefined;
	if (z === 'Z') return 0;
	const m = z.match(/^([+-])(\d{2}):?(\d{2})$/);
	return m ? (m[1] === '-' ? -1 : 1) * (+m[2] * 60 + +m[3]) : undefined;
}

const fraction = (f: string | undefined) => (f ? Math.round(+`0.${f}` * 1000) : 0);

const ISO =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/;
const NAMED_MONTH =
	/^(\d{1,2})[ -]([^\s\d-]+|\d{1,2}月)[ -](\d{4})(?:[ ,T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?$/;
const NUMERIC = /^(\d{1,2})([./])(\d{1,2})\2(\d{4})(?:[ ,]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * A date as a whole cell or line: ISO 8601 ("2024-03-05T07:12:44.120", "2025-03-11 09:57:38 +0000"),
 * a day, month name and year ("04 August 2017 12:53:19", "13-Sep-2018 13:15:19", "10 1月 2026"),
 * or day.month.year ("05.03.2024 07:12"). Slashed dates only when the day is certain (over 12).
 */
export function parseFileDate(raw: string): number | undefined {
	const s = raw.trim();
	if (s.length < 8 || s.length > 40 || !/^\d/.test(s)) return undefined;
	let m = s.match(ISO);
	if (m)
		return dateFromParts(
			+m[1],
			+m[2],
			+m[3],
			+(m[4] ?? 0),
			+(m[5] ?? 0),
			+(m[6] ?? 0),
			fraction(m[7]),
			zone(m[8])
		);
	m = s.match(NAMED_MONTH);
	if (m) {
		const mo = monthNumber(m[2]);
		if (mo === undefined) return undefined;
		return dateFromParts(
			+m[3],
			mo,
			+m[1],
			+(m[4] ?? 0),
			+(m[5] ?? 0),
			+(m[6] ?? 0),
			fraction(m[7])
		);
	}
	m = s.match(NUMERIC);
	if (m) {
		let day = +m[1];
		let month = +m[3];
		if (m[2] === '/') {
			// 05/03/2024 is March in Europe and May in the US: read it only when it can be one only.
			if (day <= 12 && month <= 12 && day !== month) return undefined;
			if (month > 12) [day, month] = [month, day];
		}
		return dateFromParts(+m[4], month, day, +(m[5] ?? 0), +(m[6] ?? 0), +(m[7] ?? 0));
	}
	return undefined;
}

/** A number in a timestamp column: Unix time in ms (13 digits) or s (10 digits), 2001-2286. */
export function epochFromNumber(v: number): number | undefined {
	if (!Number.isFinite(v)) return undefined;
	if (v >= 1e12 && v < 1e13) return Math.round(v);
	if (v >= 1e9 && v < 1e10) return Math.round(v * 1000);
	return undefined;
}

/**
 * The start written into a file name: Elite HRV names each reading "2024-03-05 07-12-44.txt";
 * FatMaxxer "FatMaxOptimiser.20210606_161059.rr.csv".
 */
export function startFromFileName(name: string): number | undefined {
	const dashed = name.match(
		/(\d{4})-(\d{2})-(\d{2})[ T_]?(\d{2})[-:.h]?(\d{2})(?:[-:.m]?(\d{2}))?/
	);
	if (dashed) {
		const [, y, mo, d, h, mi, s] = dashed;
		const t = dateFromParts(+y, +mo, +d, +h, +mi, +(s ?? 0));
		if (t !== undefined) return t;
	}
	const compact = name.match(/(?<!\d)(\d{4})(\d{2})(\d{2})[_T-](\d{2})(\d{2})(\d{2})(?!\d)/);
	if (compact) {
		const [, y, mo, d, h, mi, s] = compact;
		return dateFromParts(+y, +mo, +d, +h, +mi, +s);
	}
	return undefined;
}
