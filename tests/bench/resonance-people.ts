/**
 * `npx tsx tests/bench/resonance-people.ts [--people=N]`: how often the resonance assessment names a
 * rate for simulated people (tests/fixtures/resonance-people.ts) with no resonance, and how often it
 * finds a resonance of a given size, by step length. The claim margin (CLAIM_MARGIN) was chosen here.
 */
import { assessResonance, CLAIM_MARGIN, RESONANCE_RATES } from '../../src/lib/analysis';
import { assessmentOf, resonanceAt } from '../fixtures/resonance-people';

const people = Number(process.argv.find((a) => a.startsWith('--people='))?.split('=')[1] ?? 100);
const sizes = [0, 0.1, 0.2, 0.3, 0.5];
const stepLengths = [60, 120, 180];

console.log(
	`Claim margin ${CLAIM_MARGIN}; ${people} simulated people per cell; 9 bpm swing, 1 bpm beat noise.`
);
console.log(
	'\n| step | ' +
		sizes.map((s) => (s ? `resonance +${s * 100} %` : 'no resonance')).join(' | ') +
		' |'
);
console.log('|---|' + sizes.map(() => '---').join('|') + '|');
for (const stepS of stepLengths) {
	const cells = sizes.map((size) => {
		let claimed = 0;
		let right = 0;
		for (let p = 0; p < people; p++) {
			const truth = RESONANCE_RATES[p % RESONANCE_RATES.length];
			const a = assessmentOf({
				seed: 1000 * stepS + 7 * p + Math.round(size * 100),
				stepS,
				gains: resonanceAt(truth, size)
			});
			const r = assessResonance(a.rrMs, a.timeMs, a.steps);
			if (r.bestRateBpm !== undefined && !r.tooCloseToCall) {
				claimed++;
				if (r.bestRateBpm === truth) right++;
			}
		}
		return size === 0
			? `claimed ${((100 * claimed) / people).toFixed(0)} %`
			: `found ${((100 * right) / people).toFixed(0)} % (wrong ${((100 * (claimed - right)) / people).toFixed(0)} %)`;
	});
	console.log(`| ${stepS / 60} min | ${cells.join(' | ')} |`);
}
