/**
 * Numeric tick labels without Intl. Chart.js writes them with Intl.NumberFormat, and a tab's first
 * Intl formatter costs 15–40 ms (see format/learnt-dates.ts): on History in a new tab that was paid
 * by the first chart. The decimals are Chart.js's own (as many as tell neighbouring ticks apart);
 * the point and the lack of thousands separators are how the rest of the app writes numbers.
 */
export function numberTick(value: number | string, _index: number, ticks: { value: number }[]) {
	const v = Number(value);
	if (v === 0) return '0';
	let delta = v;
	if (ticks.length > 1) {
		delta = ticks.length > 3 ? ticks[2].value - ticks[1].value : ticks[1].value - ticks[0].value;
		if (Math.abs(delta) >= 1 && v !== Math.floor(v)) delta = v - Math.floor(v);
	}
	const log = Math.log10(Math.abs(delta));
	const decimals = Number.isFinite(log) ? Math.max(Math.min(-Math.floor(log), 20), 0) : 1;
	return grouped(v.toFixed(decimals));
}

/**
 * Thousands set apart by a narrow space from 10,000 up ("8 000 000", a power spectrum's ms²/Hz),
 * which no locale reads as a decimal point; smaller numbers stay as the app writes them.
 */
function grouped(text: string): string {
	const [whole, fraction] = text.split('.');
	const digits = whole.replace('-', '');
	if (digits.length < 5) return text;
	const sign = whole.startsWith('-') ? '-' : '';
	const spaced = digits.replace(/\B(?=(\d{3})+$)/g, '\u202f');
	return `${sign}${spaced}${fraction !== undefined ? `.${fraction}` : ''}`;
}
