/**
 * Its own module, so that asking whether any summary is stale loads none of the engine.
 *
 * Bumped whenever the engine's conventions change what a summary holds, so older summaries are
 * recomputed from their beats (see reanalyze.ts). 2: settling and settled level instead of the
 * relaxation score; Kubios's spectrum window and pNN denominators. 3: artifacts that know
 * breathing swings (no correction of sinus beats in slow breathing), one breathing rate (counted,
 * or the spectrum's fundamental, never the HF peak's harmonic). 4: resonance assessments decide like
 * a measurement (a tie names no rate; the summary keeps the tie). 5: breathing measured by the strap
 * (rate, ratio, breaths, movement), and the settled level and settling read without the beats where
 * the person moved. 6: the strap's breaths placed by fitting the breath's shape (out/in ratios
 * that smoothing read up to 0.4 low), and breathing records of the older analysis renewed.
 */
export const ANALYSIS_VERSION = 6;
