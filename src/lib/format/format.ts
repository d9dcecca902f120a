/** Display formatting shared by pages. */
export function formatDuration(ms: number): string {
	const totalS = Math.max(0, Math.round(ms / 1000));
	const h = Math.floor(totalS / 3600);
	const m = Math.floor((totalS % 3600) / 60);
	const s = totalS % 60;
	const mm = h > 0 ? String(m).padStart(2, '0') : String(m);
	return `${h > 0 ? `${h}:` : ''}${mm}:${String(s).padStart(2, '0')}`;
}

export function formatDateTime(epochMs: number): string {
	return new Date(epochMs).toLocaleString(undefined, {
		dateStyle: 'medium',
		timeStyle: 'short'
	});
}
