/**
 * The choices Kubios HRV lets a person make about an analysis, so a Kubios user can reproduce a
 * Kubios report: artifact correction (automatic, none, or a fixed threshold level), detrending
 * (none, or smoothness priors with λ), the Welch window and the interpolation rate. The same
 * settings serve the command line, a session's page (kept with the session) and exports, and each
 * can say in words what it was.
 */
import { THRESHOLD_LEVELS, type ThresholdLevel } from '../artifacts/threshold';

export type CorrectionSetting = 'automatic' | 'none' | ThresholdLevel;

export interface AnalysisSettings {
	correction: CorrectionSetting;
	/** Smoothness-priors λ; 0 is no detrending (only the mean is removed). */
	lambda: number;
	/** Welch window (s); a shorter record is one window. */
	windowS: number;
	/** Interpolation rate (Hz) of the evenly resampled series. */
	resampleHz: number;
}

/** Settle's defaults: Kubios HRV 3.x's (automatic correction, λ 500, 300 s, 4 Hz). */
export const DEFAULT_SETTINGS: Readonly<AnalysisSettings> = Object.freeze({
	correction: 'automatic',
	lambda: 500,
	windowS: 300,
	resampleHz: 4
});

export const CORRECTIONS: readonly CorrectionSetting[] = [
	'automatic',
	'none',
	...(Object.keys(THRESHOLD_LEVELS) as ThresholdLevel[])
];

/** What each setting accepts: beyond these the figures stop meaning anything. */
export const LIMITS = {
	lambda: { min: 0, max: 100_000 },
	windowS: { min: 30, max: 600 },
	resampleHz: { min: 1, max: 20 }
} as const;

const CORRECTION_WORDS: Record<CorrectionSetting, string> = {
	automatic: 'automatic (beat classification)',
	none: 'none',
	'very-low': 'very low threshold',
	low: 'low threshold',
	medium: 'medium threshold',
	strong: 'strong threshold',
	'very-strong': 'very strong threshold'
};

export function correctionWords(c: CorrectionSetting): string {
	const ms = c in THRESHOLD_LEVELS ? THRESHOLD_LEVELS[c as ThresholdLevel] : undefined;
	return ms === undefined
		? CORRECTION_WORDS[c]
		: `${CORRECTION_WORDS[c]} (${(ms / 1000).toFixed(2)} s at 60 bpm)`;
}

/** One line naming every setting, for reports and exports. */
export function describeSettings(s: AnalysisSettings): string {
	const detrend = s.lambda > 0 ? `smoothness priors, λ ${s.lambda}` : 'none';
	return `artifact correction: ${correctionWords(s.correction)}; detrending: ${detrend}; Welch window: ${s.windowS} s; interpolation: ${s.resampleHz} Hz`;
}

export function sameSettings(a: AnalysisSettings, b: AnalysisSettings): boolean {
	return (
		a.correction === b.correction &&
		a.lambda === b.lambda &&
		a.windowS === b.windowS &&
		a.resampleHz === b.resampleHz
	);
}

const inRange = (v: unknown, { min, max }: { min: number; max: number }): v is number =>
	typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max;

/**
 * Settings read from storage, a backup or another device: each field that is not a valid value
 * takes the default, so a damaged or future value can never break an analysis.
 */
export function settingsFrom(value: unknown): AnalysisSettings {
	const v = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
	return {
		correction: CORRECTIONS.includes(v.correction as CorrectionSetting)
			? (v.correction as CorrectionSetting)
			: DEFAULT_SETTINGS.correction,
		lambda: inRange(v.lambda, LIMITS.lambda) ? v.lambda : DEFAULT_SETTINGS.lambda,
		windowS: inRange(v.windowS, LIMITS.windowS) ? v.windowS : DEFAULT_SETTINGS.windowS,
		resampleHz: inRange(v.resampleHz, LIMITS.resampleHz)
			? v.resampleHz
			: DEFAULT_SETTINGS.resampleHz
	};
}

export type SettingsChange =
	{ ok: true; settings: AnalysisSettings } | { ok: false; reason: string };

/**
 * A person's change of one setting, from text (a command-line flag, a form field): refused with
 * the reason when it is out of range or not a number.
 */
export function changeSetting(
	settings: AnalysisSettings,
	name: 'correction' | 'lambda' | 'windowS' | 'resampleHz' | 'detrend',
	text: string
): SettingsChange {
	if (name === 'correction') {
		const c = text.trim().toLowerCase() as CorrectionSetting;
		return CORRECTIONS.includes(c)
			? { ok: true, settings: { ...settings, correction: c } }
			: { ok: false, reason: `artifact correction must be one of ${CORRECTIONS.join(', ')}` };
	}
	if (name === 'detrend') {
		const d = text.trim().toLowerCase();
		if (d === 'none') return { ok: true, settings: { ...settings, lambda: 0 } };
		if (d === 'smoothness-priors' || d === 'smoothness')
			return {
				ok: true,
				settings: { ...settings, lambda: settings.lambda || DEFAULT_SETTINGS.lambda }
			};
		return { ok: false, reason: 'detrending must be none or smoothness-priors' };
	}
	const value = Number(text);
	const limits = LIMITS[name];
	const what = {
		lambda: 'λ',
		windowS: 'the Welch window (s)',
		resampleHz: 'the interpolation rate (Hz)'
	}[name];
	if (text.trim() === '' || !inRange(value, limits))
		return { ok: false, reason: `${what} must be a number from ${limits.min} to ${limits.max}` };
	return { ok: true, settings: { ...settings, [name]: value } };
}

/** A form's fields as a person filled them in (numbers may be empty or out of range). */
export interface SettingsForm {
	correction: CorrectionSetting;
	detrend: 'smoothness-priors' | 'none';
	lambda: number | null;
	windowS: number | null;
	resampleHz: number | null;
}

/** The form's values as settings, or the first reason they cannot be. */
export function settingsFromForm(form: SettingsForm): SettingsChange {
	let next: AnalysisSettings = { ...DEFAULT_SETTINGS, correction: form.correction };
	for (const [name, value] of [
		['lambda', form.detrend === 'none' ? 0 : form.lambda],
		['windowS', form.windowS],
		['resampleHz', form.resampleHz]
	] as const) {
		const changed = changeSetting(next, name, String(value ?? ''));
		if (!changed.ok) return changed;
		next = changed.settings;
	}
	if (form.detrend === 'smoothness-priors' && next.lambda === 0)
		return { ok: false, reason: 'λ must be above 0 for smoothness priors (or choose none)' };
	return { ok: true, settings: next };
}
