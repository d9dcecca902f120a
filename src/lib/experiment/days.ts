/**
 * Calendar days as YYYY-MM-DD keys (the person's local date, as History uses). Arithmetic goes
 * through UTC so that a clock change never makes a day 23 or 25 hours long.
 */
export { localDayKey } from '$lib/analysis/trends';

const DAY_MS = 86_400_000;

export function dayIndex(key: string): number {
	return Date.UTC(+key.slice(0, 4), +key.slice(5, 7) - 1, +key.slice(8, 10)) / DAY_MS;
}

export function addDays(key: string, n: number): string {
	return new Date((dayIndex(key) + n) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from a to b (b later gives a positive number). */
export function daysBetween(a: string, b: string): number {
	return dayIndex(b) - dayIndex(a);
}

/** 0 = Monday … 6 = Sunday. */
export function weekday(key: string): number {
	return (new Date(dayIndex(key) * DAY_MS).getUTCDay() + 6) % 7;
}
