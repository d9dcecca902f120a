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
// Each is built on first use: building all four when a page starts costs about 30 ms in a new tab.
function formatter(options: Intl.DateTimeFormatOptions): (epochMs: number) => string {
	let built: Intl.DateTimeFormat | undefined;
	return (epochMs) => (built ??= new Intl.DateTimeFormat(undefined, options)).format(epochMs);
}

export const formatDateTime = formatter({ dateStyle: 'medium', timeStyle: 'short' });

export const formatDate = formatter({ dateStyle: 'medium' });

/** "Nov 3": chart ticks. */
export const formatShortDate = formatter({ month: 'short', day: 'numeric' });

/** "Monday, November 3": calendar cells. */
export const formatLongDay = formatter({ weekday: 'long', month: 'long', day: 'numeric' });

/** A breathing rate as people read it on a pacer: 6.0, 5.5 breaths a minute. */
export function formatRate(ratePerMin: number | undefined): string {
	return ratePerMin === undefined || !Number.isFinite(ratePerMin) ? '–' : ratePerMin.toFixed(1);
}
