import { describe, expect, it } from 'vitest';
import { checkFollowed, liveFollowHint } from '$lib/breath-measured/follow-check';

const STEP_55 = { inhaleS: 4.4, exhaleS: 6.5 };

describe('did the person follow the pacer', () => {
	it('within 0.5 a minute and 0.35 of the ratio: followed; beyond either: not', () => {
		expect(checkFollowed({ ratePerMin: 5.9, ratio: 1.3 }, { ratePerMin: 5.5, ratio: 1.5 })).toEqual(
			{
				rateOff: false,
				ratioOff: false,
				followed: true
			}
		);
		expect(
			checkFollowed({ ratePerMin: 6.8, ratio: 1.5 }, { ratePerMin: 5.5, ratio: 1.5 })
		).toMatchObject({ rateOff: true, followed: false });
		expect(
			checkFollowed({ ratePerMin: 5.5, ratio: 1.0 }, { ratePerMin: 5.5, ratio: 1.5 })
		).toMatchObject({ ratioOff: true, followed: false });
	});

	it("says so live during a step, once the figures are the step's own", () => {
		const at68 = { ratePerMin: 6.8, ratio: 1.5, moving: false };
		expect(liveFollowHint(at68, STEP_55, 50)).toBeUndefined();
		expect(liveFollowHint({ ...at68, moving: true }, STEP_55, 70)).toBeUndefined();
		expect(liveFollowHint(undefined, STEP_55, 70)).toBeUndefined();
		expect(liveFollowHint(at68, STEP_55, 70)).toEqual({
			followed: false,
			text: "The strap measures 6.8 breaths a minute, out-breath 1.5× the in-breath; the pacer is at 5.5. Follow it gently: this rate's figures describe how you breathe."
		});
		expect(liveFollowHint({ ...at68, ratePerMin: 5.6 }, STEP_55, 70)?.followed).toBe(true);
	});
});
