/**
 * The practice page's recorder and flow, once that page has loaded them. The layout reads them from
 * here (to save on pagehide, and to hold back an update mid-session) without importing them itself,
 * so the other pages never download the strap and live-analysis code they do not use.
 */
import type { PracticeFlow } from './practice-flow.svelte';
import type { Recorder } from './recorder.svelte';

export const activeSession = $state<{ recorder?: Recorder; practice?: PracticeFlow }>({});
