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
const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const date = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });
const longDay = new Intl.DateTimeFormat(undefined, {
	weekday: 'long',
	month: 'long',
	day: 'numeric'
});

export function formatDateTime(epochMs: number): string {
	return dateTime.format(epochMs);
}

export function formatDate(epochMs: number): string {
	return date.format(epochMs);
}

/** "Nov 3": chart ticks. */
export function formatShortDate(epochMs: number): string {
	return shortDate.format(epochMs);
}

/** "Monday, November 3": calendar cells. */
export function formatLongDay(epochMs: number): string {
	return longDay.format(epochMs);
}

/** A breathing rate as people read it on a pacer: 6.0, 5.5 breaths a minute. */
export function formatRate(ratePerMin: number | undefined): string {
	return ratePerMin === undefined || !Number.isFinite(ratePerMin) ? '–' : ratePerMin.toFixed(1);
}
