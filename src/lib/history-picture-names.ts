/**
 * The names under which History's picture is kept and drawn (see review/history-picture.ts), in a
 * module of their own: the database's write watch (db/sessions-snapshot.ts) forgets the picture
 * when a session is deleted, and must not bring the picture's code along. The inline script in
 * src/app.html cannot import: it writes the same values out, and a unit test
 * (tests/unit/history-picture-names.test.ts) holds the two together.
 */
export const PICTURE_KEY = 'settle-history-picture';
/** The version of the picture's record: the inline script draws only this one. */
export const PICTURE_VERSION = 1;
/** In the performance timeline of a tab that drew the picture: the frame that shows it. */
export const PICTURE_SHOWN = 'Settle: picture shown';
/** The element the inline script draws the picture in (its content in a closed shadow root). */
export const PICTURE_ID = 'settle-picture';

/**
 * Forgets the picture: a new tab must never be shown a session that is no longer stored (deleted
 * here, on another device, or with everything).
 */
export function forgetHistoryPicture(): void {
	try {
		localStorage.removeItem(PICTURE_KEY);
	} catch {
		// No storage: there is no picture either.
	}
}
