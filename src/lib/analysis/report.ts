/** The human-readable report of one analysis: the command line prints it, a session's page downloads it. */
import type { analysisSummary } from './analyze';
import { describeSettings } from './settings';

type Summary = ReturnType<typeof analysisSummary>;

const f = (v: number, digits = 1) => (Number.isFinite(v) ? v.toFixed(digits) : '–');

/** `heading`: what was analysed (a file and its unit, a session and its date). */
export function formatReport(s: Summary, heading: string, warning?: string): string {
	const a = s.artifacts;
	const lines = [
		heading,
		`  Settings    ${describeSettings(s.settings)}`,
		`  Artifacts   ${a.ectopic} ectopic, ${a.missed} missed, ${a.extra} extra, ${a.longShort} long/short — ${f(a.percent)} % of beats`,
		...(warning ? [`  Warning     ${warning}`] : []),
		...(a.indices ? [`  Abnormal    ${a.indices.join(' ') || 'none'}`] : []),
		`  Time        mean NN ${f(s.time.meanNN)} ms · SDNN ${f(s.time.sdnn)} ms · RMSSD ${f(s.time.rmssd)} ms (ln ${f(s.time.lnRmssd, 2)})`,
		`              SDSD ${f(s.time.sdsd)} ms · pNN50 ${f(s.time.pnn50)} % · pNN20 ${f(s.time.pnn20)} % · mean HR ${f(s.time.meanHR)} bpm`,
		`              HRV triangular index ${f(s.time.hti, 2)} · TINN ${f(s.time.tinn)} ms`,
		`  Frequency   VLF ${f(s.frequency.vlf)} · LF ${f(s.frequency.lf)} · HF ${f(s.frequency.hf)} · total ${f(s.frequency.totalPower)} ms²`,
		`              LF ${f(s.frequency.lfNu)} n.u. · HF ${f(s.frequency.hfNu)} n.u. · LF/HF ${f(s.frequency.lfhf, 2)} · peaks LF ${f(s.frequency.lfPeak, 3)} Hz, HF ${f(s.frequency.hfPeak, 3)} Hz`,
		`  Nonlinear   SD1 ${f(s.nonlinear.sd1)} ms · SD2 ${f(s.nonlinear.sd2)} ms · SampEn ${f(s.nonlinear.sampEn, 3)} · ApEn ${f(s.nonlinear.apEn, 3)} · DFA α1 ${f(s.nonlinear.dfaA1, 3)} · α2 ${f(s.nonlinear.dfaA2, 3)}`,
		`  Indices     stress index ${f(s.indices.stressIndex, 2)} · PNS ${f(s.indices.pns, 2)} · SNS ${f(s.indices.sns, 2)} · breathing ${f(s.indices.respirationRate)} /min`,
		''
	];
	return lines.join('\n');
}
