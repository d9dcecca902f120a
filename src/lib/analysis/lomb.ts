/**
 * Lomb-Scargle periodogram of the uneven RR series (Lomb 1976, Scargle 1982), for records where
 * resampling is unwanted. Scaled as a one-sided PSD (ms²/Hz) so band powers compare with Welch:
 * P(f) = (2 / (N·fs_equiv)) · LS(f) with the mean removed, normalised so that Parseval holds for a
 * sinusoid. O(N·F): meant for session-length series, not day-long ones.
 */
import type { Spectrum } from './welch';

export function lombScargle(rrMs: ArrayLike<number>, maxHz = 0.5, df = 1 / 600): Spectrum {
	const n = rrMs.length;
	const t = new Float64Array(n);
	let acc = 0;
	let meanV = 0;
	for (let i = 0; i < n; i++) {
		acc += rrMs[i];
		t[i] = acc / 1000;
		meanV += rrMs[i];
	}
	meanV /= Math.max(1, n);
	const duration = n > 1 ? t[n - 1] - t[0] : 1;
	const step = Math.max(df, 1 / (2 * duration));
	const count = Math.floor(maxHz / step) + 1;
	const freq = new Float64Array(count);
	const psd = new Float64Array(count);
	for (let k = 0; k < count; k++) {
		const f = k * step;
		freq[k] = f;
		if (k === 0 || n < 3) continue;
		const w = 2 * Math.PI * f;
		let s2 = 0;
		let c2 = 0;
		for (let i = 0; i < n; i++) {
			s2 += Math.sin(2 * w * t[i]);
			c2 += Math.cos(2 * w * t[i]);
		}
		const tau = Math.atan2(s2, c2) / (2 * w);
		let yc = 0;
		let ys = 0;
		let cc = 0;
		let ss = 0;
		for (let i = 0; i < n; i++) {
			const y = rrMs[i] - meanV;
			const c = Math.cos(w * (t[i] - tau));
			const s = Math.sin(w * (t[i] - tau));
			yc += y * c;
			ys += y * s;
			cc += c * c;
			ss += s * s;
		}
		const ls = 0.5 * ((yc * yc) / cc + (ys * ys) / ss);
		// A sinusoid of amplitude A gives LS ≈ N·A²/4 at its peak; its power A²/2 spread over
		// a bin of width 1/duration gives density A²·duration/2 → scale 2·duration/N.
		psd[k] = (ls * 2 * duration) / n;
	}
	return { freq, psd };
}
