import { dateFormat } from './learnt-dates';

/** Display formatting shared by pages. */
export function formatDuration(ms: number): string {
	const totalS = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(totalS / 3600);
	const m = Math.floor((totalS % 3600) / 60);
	const s = totalS % 60;
	const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
	return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

// One formatter each: toLocale*String builds a new one per call (slow in lists of thousands).
// Dates without a time are written from what was learnt of the locale on an earlier visit, so a
// page opening in a new tab builds no Intl formatter (see learnt-dates.ts).
export const formatDateTime = dateFormat({ dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = dateFormat({ dateStyle: 'medium' });

/** "Nov 3": chart ticks. */
export const formatShortDate = dateFormat({ month: 'short', day: 'numeric' });

/** "Monday, November 3": calendar cells. */
export const formatLongDay = dateFormat({ weekday: 'long', month: 'long', day: 'numeric' });

/** A breathing rate as people read it on a pacer: 6.0, 5.5 breaths a minute. */
export function formatRate(ratePerMin: number | undefined): string {
	return ratePerMin === undefined || !Number.isFinite(ratePerMin) ? '–' : ratePerMin.toFixed(1);
}

/**
 * A whole count with English thousands separators (12,345), without Intl: toLocaleString builds a
 * number formatter on every call, 1-2 ms each, which a progress line updated every batch paid
 * dozens of times as a page opened.
 */
export function formatCount(n: number): string {
	if (!Number.isFinite(n)) return String(n);
	const whole = Math.round(Math.abs(n))
		.toString()
		.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
	return n < 0 && Math.round(n) !== 0 ? `-${whole}` : whole;
}

/**
 * A change with its sign (+2.5, −0.3) and none when it rounds to nothing: "−0.0" was a drift of a
 * thousandth down, which reads as a change. `minus` is the sign written for a fall.
 */
export function formatSigned(v: number | undefined, digits = 0, minus = '−'): string {
	if (v === undefined || !Number.isFinite(v)) return '–';
	const shown = Math.abs(v).toFixed(digits);
	return Number(shown) === 0 ? shown : `${v > 0 ? '+' : minus}${shown}`;
}
