/**
 * A picture of History as the person last left it: its markup, its styles and its charts as
 * images, kept in localStorage. In a new tab, the inline script in src/app.html draws it while
 * the page is parsed, before the app's code has loaded (the code, not the data, is most of a new
 * tab's wait), in a closed shadow root over the page (out of reach of input, screen readers and
 * the page's own queries), labelled as a picture; the live page replaces it as soon as its own
 * charts are drawn. A sandboxed frame would be simpler to style, but it is drawn only after the
 * app's code has run (picture 549-640 ms, first live chart 640-674 ms, against 188-256 ms for the
 * shadow root). Measured with 2,000 sessions: see tests/bench/history.ts.
 *
 * Kept only for the view the next tab would show the same way: the same window width, pixel ratio
 * and colour theme (the inline script checks). Forgotten whenever a session is deleted (here, by
 * sync, or with "Delete everything"): see db/sessions-snapshot.ts.
 */
import {
	PICTURE_ID,
	PICTURE_KEY,
	PICTURE_SHOWN,
	PICTURE_VERSION,
	forgetHistoryPicture
} from '$lib/history-picture-names';

export { PICTURE_ID, PICTURE_KEY, PICTURE_SHOWN, PICTURE_VERSION, forgetHistoryPicture };
/** A picture larger than this (characters) is not kept: localStorage holds about 5 M in all. */
const MAX_CHARS = 1_500_000;

export interface HistoryPicture {
	v: number;
	width: number;
	dpr: number;
	/**
	 * The root's font size (what rem is): in a new tab the app's stylesheet that sets it has not
	 * loaded when the picture is drawn, so the inline script sets it on <html> meanwhile.
	 */
	rem?: string;
	/** The system's dark preference and the theme the person chose, when it was taken. */
	dark: boolean;
	theme: string | null;
	/** The styles of <html> and <body>, which no rule reaches in a shadow root, for its host. */
	host: string;
	/** The picture: the page's style rules, its note, its markup. */
	doc: string;
}

/** Stylesheets' rules as text; a sheet that cannot be read (another origin) is left out. */
function styleText(): string {
	const parts: string[] = [];
	for (const sheet of Array.from(document.styleSheets)) {
		try {
			for (const rule of Array.from(sheet.cssRules)) parts.push(rule.cssText);
		} catch {
			// Not readable from here: the picture lacks its rules, the live page does not.
		}
	}
	return parts.join('\n');
}

/**
 * The custom properties (colours) as they are now, and the body's font, colours and box: what the
 * rules for <html> and <body> give the page, given to the picture's host instead.
 */
function hostStyle(css: string): string {
	const root = getComputedStyle(document.documentElement);
	const body = getComputedStyle(document.body);
	const names = new Set(css.match(/--[\w-]+(?=\s*:)/g) ?? []);
	const decls = [...names].map((n) => `${n}: ${root.getPropertyValue(n).trim()}`);
	for (const p of ['font-family', 'font-size', 'color', 'color-scheme'])
		decls.push(`${p}: ${body.getPropertyValue(p)}`);
	// Computed, line-height is in pixels (27px for 1.5 at 18px), which every smaller text in the
	// picture would inherit as is: given back as the ratio the stylesheet set.
	const lineHeight = parseFloat(body.lineHeight);
	const fontSize = parseFloat(body.fontSize);
	decls.push(
		`line-height: ${lineHeight > 0 && fontSize > 0 ? +(lineHeight / fontSize).toFixed(4) : body.lineHeight}`
	);
	decls.push(`background-color: ${root.backgroundColor}`, `padding: ${body.padding}`);
	return decls.join('; ');
}

/** The app's markup with each chart as an image of itself, without its live-page markers. */
function pictureMarkup(app: Element): string {
	// Built in a document with no window: its images load nothing (in the page, each would fetch
	// its data URL, and as the page unloads Chromium counts that as a connection the CSP refuses).
	const inert = document.implementation.createHTMLDocument('');
	const copy = inert.importNode(app, true);
	const live = app.querySelectorAll('canvas');
	copy.querySelectorAll('canvas').forEach((canvas, i) => {
		const source = live[i];
		const img = inert.createElement('img');
		img.alt = '';
		img.decoding = 'sync';
		img.width = source.clientWidth;
		img.height = source.clientHeight;
		img.setAttribute('style', source.getAttribute('style') ?? '');
		try {
			img.src = source.toDataURL('image/webp', 0.85);
		} catch {
			return;
		}
		canvas.replaceWith(img);
	});
	// What the person chose is state, not markup: written into the copy's attributes.
	const liveFields = app.querySelectorAll('select, input');
	copy.querySelectorAll('select, input').forEach((field, i) => {
		const source = liveFields[i];
		if (field instanceof HTMLSelectElement && source instanceof HTMLSelectElement)
			field
				.querySelectorAll('option')
				.forEach((o, j) => o.toggleAttribute('selected', j === source.selectedIndex));
		else if (field instanceof HTMLInputElement && source instanceof HTMLInputElement) {
			field.setAttribute('value', source.value);
			field.toggleAttribute('checked', source.checked);
		}
	});
	copy.querySelectorAll('script, [data-drawn]').forEach((el) => {
		if (el.tagName === 'SCRIPT') el.remove();
		else el.removeAttribute('data-drawn');
	});
	return copy.innerHTML;
}

/** Whether `root`'s main part has charts, every one drawn (the live page, not one still loading). */
function chartsDrawn(root: ParentNode): boolean {
	const charts = root.querySelectorAll('main .chart').length;
	return charts > 0 && root.querySelectorAll('main .chart[data-drawn]').length === charts;
}

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** What the picture says of itself, where a person looks first. */
const NOTE_STYLE =
	'.settle-picture-note { position: fixed; bottom: 0.75rem; right: 0.75rem; z-index: 1; margin: 0;' +
	' max-width: calc(100% - 1.5rem); box-sizing: border-box;' +
	' padding: 0.3rem 0.75rem; border-radius: 999px; font-size: 0.85rem;' +
	' background: var(--text); color: var(--bg); opacity: 0.9 }';

/**
 * Takes the picture of History as it is on screen now, if it shows every chart drawn (not the
 * picture itself, nor a page still loading), with `note` written on it (a new tab builds no date
 * formatter for it). Synchronous: called as the person leaves the page.
 */
export function keepHistoryPicture(note: string): void {
	try {
		if (document.getElementById(PICTURE_ID)) return;
		const app = document.body.querySelector(':scope > div');
		if (!app) return;
		if (!chartsDrawn(app)) return;
		const css = styleText();
		const picture: HistoryPicture = {
			v: PICTURE_VERSION,
			width: innerWidth,
			dpr: devicePixelRatio,
			dark: matchMedia('(prefers-color-scheme: dark)').matches,
			theme: document.documentElement.getAttribute('data-theme'),
			rem: getComputedStyle(document.documentElement).fontSize,
			host: hostStyle(css),
			doc:
				`<style>${css.replace(/<\/style/gi, '<\\/style')}\n${NOTE_STYLE}</style>` +
				`<p class="settle-picture-note">${escapeHtml(note)}</p>${pictureMarkup(app)}`
		};
		const json = JSON.stringify(picture);
		if (json.length > MAX_CHARS) return forgetHistoryPicture();
		localStorage.setItem(PICTURE_KEY, json);
	} catch {
		// Storage full or blocked: no picture, and a new tab waits for the live page as before.
		forgetHistoryPicture();
	}
}

/** Removes the picture from the page, if the inline script drew one. */
export function dropShownPicture(): void {
	const shown = document.getElementById(PICTURE_ID);
	if (!shown) return;
	shown.remove();
	// The root font size the inline script set for the picture: the stylesheet's from now on.
	document.documentElement.style.removeProperty('font-size');
}

/**
 * Removes the picture once the live page shows what it showed: at once when there is nothing to
 * chart, else in the task that draws the last chart (so one frame shows the live page whole, and
 * no frame is needed: a test's paused clock holds frames). Returns the function that stops
 * waiting (the page is left first: it removes the picture then).
 */
export function dropPictureWhenDrawn(hasCharts: boolean): () => void {
	if (!document.getElementById(PICTURE_ID)) return () => {};
	if (!hasCharts) {
		dropShownPicture();
		return () => {};
	}
	const check = () => {
		if (!chartsDrawn(document)) return;
		watch.disconnect();
		dropShownPicture();
	};
	const watch = new MutationObserver(check);
	watch.observe(document.body, {
		subtree: true,
		childList: true,
		attributes: true,
		attributeFilter: ['data-drawn']
	});
	check();
	return () => watch.disconnect();
}
