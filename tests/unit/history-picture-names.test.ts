/**
 * The inline script in src/app.html draws History's picture before any module loads, so it writes
 * the picture's names out as literals: they must be the module's (src/lib/history-picture-names.ts).
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
	PICTURE_ID,
	PICTURE_KEY,
	PICTURE_SHOWN,
	PICTURE_VERSION
} from '$lib/history-picture-names';

const html = readFileSync(resolve(process.cwd(), 'src/app.html'), 'utf8');

describe('History’s picture in the inline script of app.html', () => {
	it('reads the key the app keeps it under, and draws only its version', () => {
		expect(html).toContain(`localStorage.getItem('${PICTURE_KEY}')`);
		expect(html).toContain(`p.v !== ${PICTURE_VERSION}`);
	});
	it('draws it in the element the app removes, and marks the frame the bench reads', () => {
		expect(html).toContain(`host.id = '${PICTURE_ID}'`);
		expect(html).toContain(`performance.mark('${PICTURE_SHOWN}')`);
	});
});
