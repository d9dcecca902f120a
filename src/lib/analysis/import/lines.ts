/**
 * A file's lines and a line's cells, found as they are read rather than split all at once. The
 * text comes in pieces of about a million characters (as it was decoded): a file of 50 MB is never
 * one string (building one blocks a browser's page for most of a second), a file of ten million
 * lines is not ten million strings at once, and a line of ten million values is read one cell at
 * a time, without a string for each number. Lines end as `split(/\r\n|\n|\r/)` ends them; cells
 * are those of `splitCells`.
 */
import type { Delimiter } from './columns';

/** Characters of a piece when a text is cut into pieces. */
export const PIECE_CHARS = 1 << 20;
/** A line longer than this is read by its cells; as a string, only its start is given. */
export const LONG_LINE = 1 << 20;
/** Lines whose starts are kept, so going back to one of them costs nothing. */
const KEPT = 4096;

/** A text as pieces of PIECE_CHARS (slices of it: nothing is copied), never parting "\r\n". */
export function piecesOf(text: string): string[] {
	if (text.length <= PIECE_CHARS) return [text];
	const pieces: string[] = [];
	for (let i = 0; i < text.length;) {
		let end = Math.min(text.length, i + PIECE_CHARS);
		if (end < text.length && text.charCodeAt(end - 1) === 13) end++;
		pieces.push(text.slice(i, end));
		i = end;
	}
	return pieces;
}

/** Whitespace as `\s` means it (and `trim` removes it). */
export function isSpace(c: number): boolean {
	if (c > 32 && c < 160) return false;
	return (
		c === 32 ||
		(c >= 9 && c <= 13) ||
		c === 0xa0 ||
		c === 0x1680 ||
		(c >= 0x2000 && c <= 0x200a) ||
		c === 0x2028 ||
		c === 0x2029 ||
		c === 0x202f ||
		c === 0x205f ||
		c === 0x3000 ||
		c === 0xfeff
	);
}

/**
 * The lines of a text given in pieces (no piece ends between "\r" and "\n"). `at(i)` finds lines
 * forward from the last one asked for; going back is free to the first KEPT lines.
 */
export class Lines {
	private readonly pieces: readonly string[];
	/** Starts (piece, offset) of the first KEPT lines found. */
	private readonly starts: [number, number][] = [[0, 0]];
	/** The line at the cursor: its index, start and end (before its line break)… */
	private index = 0;
	private startPiece = 0;
	private start = 0;
	private endPiece = 0;
	private end = 0;
	/** …and where the next line starts (nextPiece -1: the cursor is on the last line). */
	private nextPiece = -1;
	private next = 0;
	/** The next "\n" and "\r" at or after `from` in piece `searched` (its length: none). */
	private searched = -1;
	private lf = -1;
	private cr = -1;

	constructor(text: string | readonly string[]) {
		this.pieces = typeof text === 'string' ? piecesOf(text) : text.length ? text : [''];
		this.findEnd();
	}

	/** Sets the end of the line starting at (startPiece, start), and where the next one starts. */
	private findEnd(): void {
		const pieces = this.pieces;
		let p = this.startPiece;
		let from = this.start;
		for (;;) {
			const t = pieces[p];
			if (this.searched !== p || this.lf < from) {
				const i = t.indexOf('\n', from);
				this.lf = i < 0 ? t.length : i;
			}
			if (this.searched !== p || this.cr < from) {
				const i = t.indexOf('\r', from);
				this.cr = i < 0 ? t.length : i;
			}
			this.searched = p;
			const end = Math.min(this.lf, this.cr);
			if (end < t.length) {
				this.endPiece = p;
				this.end = end;
				const after = end === this.cr && this.lf === end + 1 ? end + 2 : end + 1;
				// A line break ending its piece: the next line starts in the next piece.
				if (after < t.length || p === pieces.length - 1) [this.nextPiece, this.next] = [p, after];
				else [this.nextPiece, this.next] = [p + 1, 0];
				return;
			}
			if (p === pieces.length - 1) {
				this.endPiece = p;
				this.end = t.length;
				this.nextPiece = -1;
				return;
			}
			p++;
			from = 0;
		}
	}

	/** Moves the cursor to line `i`; false when the text has fewer lines. */
	private seek(i: number): boolean {
		if (i < this.index) {
			// Back: from the nearest kept start (the breaks found are past it: forget them).
			const k = Math.min(i, this.starts.length - 1);
			this.index = k;
			[this.startPiece, this.start] = this.starts[k];
			this.searched = -1;
			this.findEnd();
		}
		while (this.index < i) {
			if (this.nextPiece < 0) return false;
			this.index++;
			this.startPiece = this.nextPiece;
			this.start = this.next;
			if (this.index < KEPT && this.index === this.starts.length)
				this.starts.push([this.startPiece, this.start]);
			this.findEnd();
		}
		return true;
	}

	/** The parts of the line at the cursor, one per piece it lies in. */
	private parts(): string[] {
		const { pieces, startPiece, endPiece } = this;
		if (startPiece === endPiece) return [pieces[startPiece].slice(this.start, this.end)];
		const parts = [pieces[startPiece].slice(this.start)];
		for (let p = startPiece + 1; p < endPiece; p++) parts.push(pieces[p]);
		parts.push(pieces[endPiece].slice(0, this.end));
		return parts;
	}

	private length(): number {
		let n = -this.start + this.end;
		for (let p = this.startPiece; p < this.endPiece; p++) n += this.pieces[p].length;
		return n;
	}

	/**
	 * Line `i` (0-based), or undefined past the last line. Of a line longer than LONG_LINE only its
	 * first LONG_LINE characters (see `isLong`; read its cells with `cells`).
	 */
	at(i: number): string | undefined {
		if (i < 0 || !this.seek(i)) return undefined;
		if (this.startPiece === this.endPiece)
			return this.pieces[this.startPiece].slice(this.start, this.end);
		const parts = this.parts();
		if (this.length() <= LONG_LINE) return parts.join('');
		let start = '';
		for (const part of parts) {
			start += part.slice(0, LONG_LINE - start.length);
			if (start.length >= LONG_LINE) break;
		}
		return start;
	}

	/** Whether line `i` is longer than LONG_LINE (`at` gives only its start). */
	isLong(i: number): boolean {
		return i >= 0 && this.seek(i) && this.startPiece !== this.endPiece && this.length() > LONG_LINE;
	}

	/** The cells of line `i`, one at a time, however long it is. */
	cells(i: number, delim: Delimiter): Cells {
		return new Cells(i >= 0 && this.seek(i) ? this.parts() : [''], delim);
	}

	/** How many lines the text has (reads to its end). */
	count(): number {
		while (this.nextPiece >= 0) this.seek(this.index + 1);
		return this.index + 1;
	}
}

const QUOTED = /^"(.*)"$/;

/** A cell as splitCells leaves it: trimmed and unquoted. */
export function cleanCell(raw: string): string {
	const n = raw.length;
	// Most cells are a bare number: nothing to trim or unquote.
	if (n > 0 && !isSpace(raw.charCodeAt(0)) && !isSpace(raw.charCodeAt(n - 1)) && raw[0] !== '"')
		return raw;
	const c = raw.trim();
	const q = QUOTED.exec(c);
	return q ? q[1].trim() : c;
}

/** Exact powers of ten (to 1e22 every one is a double exactly). */
const POW10 = Array.from({ length: 23 }, (_, i) => 10 ** i);

/**
 * The cells of one line (given in parts), one at a time, as `splitCells(line, delim)` gives them:
 * for a space delimiter the runs of non-space characters of the trimmed line, else the pieces
 * between delimiters (empty ones included).
 */
export class Cells {
	private readonly parts: readonly string[];
	private readonly delim: Delimiter;
	private readonly code: number;
	private part = 0;
	private pos = 0;
	private done = false;
	/** A space-delimited line of nothing but spaces: one empty cell. */
	private blank = false;

	constructor(parts: string | readonly string[], delim: Delimiter) {
		this.parts = typeof parts === 'string' ? [parts] : parts;
		this.delim = delim;
		this.code = delim.charCodeAt(0);
		if (delim === ' ') this.blank = !this.skipSpaces();
	}

	/** Moves past spaces; false when the line ends first. */
	private skipSpaces(): boolean {
		for (;;) {
			const t = this.parts[this.part];
			while (this.pos < t.length && isSpace(t.charCodeAt(this.pos))) this.pos++;
			if (this.pos < t.length) return true;
			if (this.part === this.parts.length - 1) return false;
			this.part++;
			this.pos = 0;
		}
	}

	/** Whether character `c` ends a cell. */
	private ends(c: number): boolean {
		return this.delim === ' ' ? isSpace(c) : c === this.code;
	}

	/** The raw text of the next cell (up to its end or the line's), leaving the cursor after it. */
	private take(): string {
		let cell = '';
		for (;;) {
			const t = this.parts[this.part];
			const from = this.pos;
			let i = from;
			if (this.delim === ' ') while (i < t.length && !isSpace(t.charCodeAt(i))) i++;
			else {
				i = t.indexOf(this.delim, from);
				if (i < 0) i = t.length;
			}
			cell = cell === '' ? t.slice(from, i) : cell + t.slice(from, i);
			this.pos = i;
			if (i < t.length || this.part === this.parts.length - 1) return cell;
			this.part++;
			this.pos = 0;
		}
	}

	/** After a cell: past its delimiter (or the spaces after it); done at the line's end. */
	private after(): void {
		if (this.delim === ' ') {
			if (!this.skipSpaces()) this.done = true;
			return;
		}
		const t = this.parts[this.part];
		if (this.pos < t.length) this.pos++;
		else this.done = true;
	}

	/** The next cell, or undefined after the last. */
	next(): string | undefined {
		if (this.done) return undefined;
		if (this.blank) {
			this.done = true;
			return '';
		}
		const cell = this.take();
		this.after();
		return cleanCell(cell);
	}

	/**
	 * The next cell as `cellNumber(next(), decimalComma)` reads it, without making a string of it
	 * when it is a plain decimal ("812", "-0.812", "0,812" with decimal commas); otherwise the cell
	 * itself, for cellNumber. Undefined after the last cell.
	 */
	nextNumber(decimalComma: boolean): number | string | undefined {
		if (this.done || this.blank) return this.next();
		const t = this.parts[this.part];
		let i = this.pos;
		const negative = t.charCodeAt(i) === 45;
		if (negative) i++;
		let digits = 0;
		let mantissa = 0;
		let fraction = -1;
		for (; i < t.length; i++) {
			const c = t.charCodeAt(i);
			if (c >= 48 && c <= 57) {
				mantissa = mantissa * 10 + (c - 48);
				digits++;
				if (fraction >= 0) fraction++;
			} else if (fraction < 0 && (c === 46 || (c === 44 && decimalComma && this.delim !== ','))) {
				fraction = 0;
			} else break;
		}
		// The cell must end here (at its delimiter, or the line's end within this part), with 1-15
		// digits and a digit after any decimal point: then mantissa / 10^k is exactly Number(cell).
		const atEnd = i < t.length ? this.ends(t.charCodeAt(i)) : this.part === this.parts.length - 1;
		if (!atEnd || digits === 0 || digits > 15 || fraction === 0) return this.next();
		this.pos = i;
		this.after();
		const v = fraction > 0 ? mantissa / POW10[fraction] : mantissa;
		return negative ? -v : v;
	}
}
