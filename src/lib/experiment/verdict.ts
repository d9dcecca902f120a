/**
 * The answer in plain words, in Compare's voice: say what the figures show and no more. The claim
 * rests on the randomization test by plan (the comparison the random assignment protects); the
 * interval says how large the difference could be; adherence and carry-over are said when they
 * could change the reading.
 */
import { ALPHA } from './power';
import type { ExperimentAnswer } from './analysis';
import { intervalClear, type Effect } from './effect';
import { amountText, questionMeta, type Question } from './questions';

/** "about 1 time in 50": how often chance alone gives a difference this large. */
export function chanceText(p: number): string {
	if (!Number.isFinite(p)) return 'cannot be said yet';
	if (p > 0.5) return 'more often than not';
	if (p > 0.3) return 'about 1 time in 2 or 3';
	// Two significant figures: "1 time in 330", not a precision the p-value does not have.
	const n = Math.max(2, Math.round(1 / p));
	return `about 1 time in ${Number(n.toPrecision(2))}`;
}

/** "95 % interval 0.5 to 3.4 lower", or "from 1.1 lower to 1.9 higher" when it spans none. */
export function intervalText(q: Question, e: Effect): string {
	const d = questionMeta(q).digits;
	const word = (x: number) => (x < 0 ? 'lower' : 'higher');
	if (!Number.isFinite(e.low)) return 'no interval yet';
	if (intervalClear(e)) {
		const [a, b] = [Math.abs(e.low), Math.abs(e.high)].sort((x, y) => x - y);
		return `95 % interval ${a.toFixed(d)} to ${b.toFixed(d)} ${word(e.diff)}`;
	}
	return `95 % interval from ${Math.abs(e.low).toFixed(d)} lower to ${Math.abs(e.high).toFixed(d)} higher`;
}

/** "2.0 bpm lower on routine days", or "no different on routine days" when it rounds to nothing. */
export function differenceText(q: Question, e: Effect): string {
	const amount = amountText(q, e.diff);
	if (Number(Math.abs(e.diff).toFixed(questionMeta(q).digits)) === 0)
		return 'no different on routine days than on rest days';
	return `about ${amount} ${e.diff < 0 ? 'lower' : 'higher'} on routine days than on rest days`;
}

const isBetter = (q: Question, diff: number) =>
	questionMeta(q).better === 'lower' ? diff < 0 : diff > 0;

export function experimentVerdict(q: Question, a: ExperimentAnswer): string {
	const meta = questionMeta(q);
	const e = a.byPlan;
	const head = a.interim
		? `Interim look after ${a.elapsed} of ${a.planned} days. `
		: `The experiment is over (${a.planned} days). `;
	const tailInterim = a.interim
		? ' An interim look is for keeping going, not for stopping when it looks good: the answer counts at the end.'
		: '';
	if (e.nRoutine < 2 || e.nRest < 2)
		return `${head}Not enough days yet: ${e.nRoutine} routine and ${e.nRest} rest ${e.nRest === 1 ? 'day' : 'days'} with a reading. The answer needs at least two of each, and many more to mean much.${tailInterim}`;
	const chance = chanceText(e.test.p);
	const days = `${e.nRoutine + e.nRest} days`;
	let body: string;
	if (e.test.p < ALPHA) {
		const good = isBetter(q, e.diff);
		body = `Your ${meta.name} was ${differenceText(q, e)} (${intervalText(q, e)}); a difference this large would come up by chance ${chance} if the routine did nothing. ${
			good
				? 'That is a better result, and because the days were assigned at random, good weeks, sleep or expectation cannot explain it away.'
				: 'That is a worse result, beyond chance: worth checking how and when you do the routine.'
		}`;
	} else {
		body = `No clear difference: your ${meta.name} was ${differenceText(q, e)} (${intervalText(q, e)}); a difference this large would come up by chance ${chance} even if the routine did nothing. That does not show the routine does nothing, only that any effect is smaller than ${days} can tell apart from your day-to-day noise.`;
	}
	return `${head}${body}${adherenceNote(q, a)}${carryOverNote(q, a)}${tailInterim}`;
}

function adherenceNote(q: Question, a: ExperimentAnswer): string {
	const { swapped, unconfirmed, daysSoFar, withReading } = a.adherence;
	const parts: string[] = [];
	if (withReading < daysSoFar)
		parts.push(
			` ${daysSoFar - withReading} of ${daysSoFar} days have no reading; they are left out of both arms alike.`
		);
	if (swapped > 0)
		parts.push(
			` On ${swapped} ${swapped === 1 ? 'day' : 'days'} you did the other thing than planned; counted as you did them, your ${questionMeta(q).name} was ${differenceText(q, a.asDone)} (${intervalText(q, a.asDone)}), a comparison no longer protected by the random assignment.`
		);
	if (unconfirmed > 0 && unconfirmed === daysSoFar)
		parts.push(' You have not marked any day as done, so "as done" is the plan itself.');
	return parts.join('');
}

function carryOverNote(q: Question, a: ExperimentAnswer): string {
	const c = a.carryOver;
	if (!c || !intervalClear(c)) return '';
	return ` Rest days right after a routine day were ${amountText(q, c.diff)} ${c.diff < 0 ? 'lower' : 'higher'} than rest days after a rest day (${intervalText(q, c)}): the routine may carry over into the next day, which would make the difference above smaller than its real effect. Week blocks avoid that.`;
}

/** "With your day-to-day spread, 4 weeks can show a change of 0.12 in lnRMSSD about 8 times in 10." */
export function powerSentence(
	q: Question,
	weeks: number,
	detectable: number,
	power: number,
	fromHistory: boolean,
	canReach: boolean
): string {
	if (!canReach)
		return `With week blocks, ${weeks} weeks allow too few possible assignments: even a large change could not be told from chance (1 time in 20). Choose day pairs, or more weeks.`;
	const whose = fromHistory
		? 'With your day-to-day spread'
		: 'With a typical day-to-day spread (Settle does not know yours yet: it needs a week of readings)';
	return `${whose}, ${weeks} weeks can show a change of ${amountText(q, detectable)} about ${Math.round(power * 10)} times in 10.`;
}

/** One line for a list of experiments: "interim: 2.6 bpm lower on routine days (p = 0.003)". */
export function shortAnswer(q: Question, a: ExperimentAnswer): string {
	const e = a.byPlan;
	const head = a.interim ? 'interim: ' : '';
	if (e.nRoutine < 2 || e.nRest < 2) return `${head}not enough days yet`;
	const p = `p = ${e.test.p < 0.001 ? '< 0.001' : e.test.p.toFixed(3)}`;
	if (!(e.test.p < ALPHA)) return `${head}no clear difference (${p})`;
	return `${head}${amountText(q, e.diff)} ${e.diff < 0 ? 'lower' : 'higher'} on routine days (${p})`;
}
