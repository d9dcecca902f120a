/** The demo strap's seeded randomness, shared with the tests' generated hearts. */
export { gaussian, mulberry32 } from '$lib/seeded-random';
