/** Serves the built app (build/, made by run.mjs) for the end-to-end tests, and stops it afterwards. */
import type { TestProject } from 'vitest/node';
import { startPreview } from './fixtures/preview';

declare module 'vitest' {
	export interface ProvidedContext {
		baseUrl: string;
	}
}

export default async function setup(project: TestProject): Promise<() => void> {
	const { url, stop } = await startPreview();
	project.provide('baseUrl', url);
	return stop;
}
