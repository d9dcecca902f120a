/**
 * Files from other apps arrive as bytes in whatever encoding their app wrote: UTF-8 with or without
 * a byte-order mark, UTF-16 from Windows tools ("Unicode text"), or Windows-1252 / ISO-8859-1 from
 * older desktop software (Kubios HRV 3.3 writes a raw `é`). Pure: bytes in, text out.
 */
import { runSync, type Sliced } from './slices';

export type RrTextEncoding = 'utf-8' | 'utf-16le' | 'utf-16be' | 'windows-1252';

export interface DecodedRrText {
	text: string;
	encoding: RrTextEncoding;
	/** The bytes began with a byte-order mark. */
	bom: boolean;
	/** NUL bytes outside UTF-16: an image, a zip, a database, not a text file. */
	binary: boolean;
}

/**
 * Bytes decoded between pauses, into a piece of the text each: a 50 MB file is never decoded in
 * one task, nor joined into one string (see lines.ts).
 */
const PIECE = 1 << 20;

/**
 * Decodes in pieces (a piece never ends with the "\r" of a "\r\n"), pausing between them;
 * `fatal` throws on bytes that are not `label`.
 */
function* decode(label: RrTextEncoding, bytes: Uint8Array, fatal = false): Sliced<string[]> {
	const decoder = new TextDecoder(label, { fatal, ignoreBOM: true });
	if (bytes.length <= PIECE) return [decoder.decode(bytes)];
	const pieces: string[] = [];
	let carry = '';
	for (let i = 0; i < bytes.length; i += PIECE) {
		const last = i + PIECE >= bytes.length;
		let text = carry + decoder.decode(bytes.subarray(i, i + PIECE), { stream: !last });
		carry = '';
		if (!last && text.charCodeAt(text.length - 1) === 13) {
			carry = '\r';
			text = text.slice(0, -1);
		}
		if (text !== '') pieces.push(text);
		yield;
	}
	return pieces;
}

/** Whether the bytes hold a NUL, looked for a piece at a time. */
function* holdsNul(bytes: Uint8Array): Sliced<boolean> {
	for (let i = 0; i < bytes.length; i += PIECE) {
		if (bytes.subarray(i, i + PIECE).includes(0)) return true;
		yield;
	}
	return false;
}

/** UTF-16 without a mark: every other byte of ASCII text is 0. Returns the byte order, if so. */
function utf16WithoutBom(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
	const n = Math.min(bytes.length, 512) & ~1;
	if (n < 4) return undefined;
	let evenZeros = 0;
	let oddZeros = 0;
	for (let i = 0; i < n; i += 2) {
		if (bytes[i] === 0) evenZeros++;
		if (bytes[i + 1] === 0) oddZeros++;
	}
	const half = n / 2;
	if (oddZeros > 0.9 * half && evenZeros < 0.1 * half) return 'utf-16le';
	if (evenZeros > 0.9 * half && oddZeros < 0.1 * half) return 'utf-16be';
	return undefined;
}

export function decodeRrBytes(bytes: Uint8Array): DecodedRrText {
	const { pieces, ...decoded } = runSync(decodeRrPieces(bytes, true));
	return { text: pieces.join(''), ...decoded };
}

/** The text as pieces of about a million characters (see lines.ts), and how it was read. */
export interface DecodedRrPieces extends Omit<DecodedRrText, 'text'> {
	pieces: string[];
}

/**
 * decodeRrBytes, pausing between pieces of the text (see slices.ts), which it leaves apart. The
 * text of a binary file is only decoded when `binaryText` asks for it.
 */
export function* decodeRrPieces(bytes: Uint8Array, binaryText = false): Sliced<DecodedRrPieces> {
	if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
		return {
			pieces: yield* decode('utf-8', bytes.subarray(3)),
			encoding: 'utf-8',
			bom: true,
			binary: false
		};
	if (bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe)
		return {
			pieces: yield* decode('utf-16le', bytes.subarray(2)),
			encoding: 'utf-16le',
			bom: true,
			binary: false
		};
	if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff)
		return {
			pieces: yield* decode('utf-16be', bytes.subarray(2)),
			encoding: 'utf-16be',
			bom: true,
			binary: false
		};
	const utf16 = utf16WithoutBom(bytes);
	if (utf16)
		return { pieces: yield* decode(utf16, bytes), encoding: utf16, bom: false, binary: false };
	const binary = yield* holdsNul(bytes);
	if (binary && !binaryText) return { pieces: [], encoding: 'utf-8', bom: false, binary };
	try {
		return { pieces: yield* decode('utf-8', bytes, true), encoding: 'utf-8', bom: false, binary };
	} catch {
		// Not valid UTF-8: the single-byte Western encoding older Windows software writes (the web's
		// "iso-8859-1" is this one too).
		return {
			pieces: yield* decode('windows-1252', bytes),
			encoding: 'windows-1252',
			bom: false,
			binary
		};
	}
}
