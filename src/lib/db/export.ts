/** One session as files other tools read: RR text (Kubios) and CSV. */
import type { BeatSeries } from './beats';

/** One RR interval in ms per line, full precision (Kubios reads this as "RR in ms"). */
export function rrText(series: BeatSeries): string {
	return Array.from(series.rrMs, (v) => String(v)).join('\n') + '\n';
}

/** time_s (end of the interval), rr_ms, hr_bpm, flags (see BEAT_FLAG). */
export function beatsCsv(series: BeatSeries): string {
	const rows = ['time_s,rr_ms,hr_bpm,flags'];
	for (let i = 0; i < series.rrMs.length; i++) {
		const rr = series.rrMs[i];
		rows.push(
			`${(series.timeMs[i] / 1000).toFixed(4)},${rr},${(60000 / rr).toFixed(2)},${series.flags[i]}`
		);
	}
	return rows.join('\n') + '\n';
}

export function exportFileName(startedAt: number, ext: string): string {
	const d = new Date(startedAt);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `settle-${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}-${pad(d.getHours())}${pad(d.getMinutes())}.${ext}`;
}
