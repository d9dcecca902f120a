/**
 * The recording state machine: idle → connecting → ready → recording → saving → saved.
 * Joins a strap (Bluetooth or demo), the beat timeline and the database. Beats are written in
 * chunks at least every 5 s and when the page is hidden, so a killed tab loses at most 5 s.
 * When storage refuses (a full disk), beats wait in memory (up to HOLD_LIMIT_BEATS), the person
 * is told, and every flush tries again; Stop waits until everything is written.
 */
import { BeatTimeline, type Beat } from '$lib/strap/beat-timeline';
import type { ContactStatus } from '$lib/strap/hrm-packet';
import type { LinkState, Strap, StrapEvent, StrapInfo } from '$lib/strap/types';
import { BeatWriter, type FlushOutcome, type SessionStore } from './beat-writer';
import { HOLD_LIMIT_BEATS, type StorageTrouble } from './storage-hold';
import { isQuotaError } from '$lib/db/storage';
import { LiveTracker, emptyLiveFigures, type ChartPoint, type LiveFigures } from './live-tracker';
import { beatCost } from './beat-cost';
import type { BreathPattern } from './pacer';
import type { ResumePoint } from './practice-flow.svelte';
import { computeSummary, type SummaryBreathing } from '$lib/review/summary';
import type { SessionEventRow } from '$lib/db/schema';
import type { LiveBreathFigures, LiveBreathing } from '$lib/breath-measured/live';
import type { MovementSamples } from '$lib/strap/types';

export type RecorderPhase = 'idle' | 'recording' | 'saving' | 'saved';

export interface StartOptions {
	routine?: string;
	phase?: 'before' | 'after' | 'none';
	plannedMinutes?: number;
	tensionBefore?: number;
	tags?: string[];
}

export const FLUSH_INTERVAL_MS = 5000;

export class Recorder {
	link = $state<LinkState>('idle');
	linkMessage = $state<string | undefined>(undefined);
	info = $state<StrapInfo | undefined>(undefined);
	bpm = $state<number | undefined>(undefined);
	contact = $state<ContactStatus>('not-supported');
	/** True once the strap has sent RR intervals; some straps never do. */
	rrSeen = $state(false);
	packetsReceived = $state(0);
	packetErrors = $state(0);
	phase = $state<RecorderPhase>('idle');
	sessionId = $state<string | undefined>(undefined);
	beatCount = $state(0);
	elapsedMs = $state(0);
	/** Why writes are failing now; undefined while they work. */
	storageTrouble = $state<StorageTrouble | undefined>(undefined);
	/** A write that failed without losing beats (the measured breathing), in words. */
	storageMessage = $state<string | undefined>(undefined);
	/** Beats written once storage had room again, after trouble (for the "saved again" note). */
	savedAfterTrouble = $state(0);
	/** Beats of the running session; plain array, charts read it when `beatCount` changes. */
	beats: Beat[] = [];
	/** Live figures, refreshed per beat (RMSSD, HR) and every 5 s (coherence, breathing, relaxation). */
	live = $state<LiveFigures>(emptyLiveFigures());
	/** Chart series, mutated in place; `chartVersion` tells charts to redraw. */
	hrPoints: ChartPoint[] = [];
	rrPoints: ChartPoint[] = [];
	rmssdPoints: ChartPoint[] = [];
	chartVersion = $state(0);
	/** Bumped only when the rolling RMSSD gains a point (every 5 s). */
	rmssdVersion = $state(0);
	gapBands = $state<{ from: number; to: number }[]>([]);
	/** Breathing measured by the strap's accelerometer, while it streams during a recording. */
	measuredBreath = $state<LiveBreathFigures | undefined>(undefined);
	/**
	 * How much earlier (ms) the last saved session's start was moved when its beat times were put
	 * right (some of its first beats ended before it started): times kept elsewhere on the session's
	 * clock (an assessment's steps) move that much later.
	 */
	startShiftMs = 0;

	private strap?: Strap;
	private unsubscribe?: () => void;
	private timeline?: BeatTimeline;
	private liveTracker?: LiveTracker;
	private breathing?: BreathPattern;
	private lock?: { release(): void } | null;
	private writer?: BeatWriter;
	private flushTimer?: ReturnType<typeof setInterval>;
	private pausedAtMs?: number;
	private pauses: { startMs: number; endMs: number }[] = [];
	private contactLostAtMs?: number;
	private contactLosses: { startMs: number; endMs: number }[] = [];
	/** The first chunk this run writes, and how many beats of `beats` were saved before it. */
	private firstSeq = 0;
	private savedBeats = 0;
	/** Beats not recorded because the hold was full, and the spans they covered (stored as gaps). */
	private notRecorded = 0;
	private unheldFromMs?: number;
	private unheldSpans: { startMs: number; endMs: number }[] = [];
	/** The session's start on the wall clock (its time zero). */
	private originMs = 0;
	/** Loaded with the first movement samples, so pages without them never fetch the analysis. */
	private liveBreathing?: Promise<LiveBreathing>;

	/** `holdLimitBeats`: beats held in memory at most while storage refuses (tests lower it). */
	constructor(
		private store: SessionStore,
		private holdLimitBeats = HOLD_LIMIT_BEATS
	) {}

	get strapSource(): 'bluetooth' | 'demo' | undefined {
		return this.strap?.info.kind;
	}

	async connect(strap: Strap): Promise<void> {
		await this.strap?.disconnect();
		this.unsubscribe?.();
		this.strap = strap;
		this.linkMessage = undefined;
		this.unsubscribe = strap.subscribe((e) => this.onStrapEvent(e));
		await strap.connect();
		if (this.breathing) this.followBreathing(this.breathing);
	}

	async disconnect(): Promise<void> {
		if (this.phase === 'recording') await this.stop();
		await this.strap?.disconnect();
		this.unsubscribe?.();
		this.strap = undefined;
		this.bpm = undefined;
	}

	/**
	 * Starts recording at once (beats that arrive while the session row is being written are kept),
	 * and resolves when the session exists in the database.
	 */
	async start(options: StartOptions = {}): Promise<void> {
		if (!this.strap || this.phase === 'recording') return;
		await this.takeLock();
		const startedAt = Date.now();
		const id = crypto.randomUUID();
		const row = {
			id,
			source: this.strap.info.kind,
			strapName: this.strap.info.name,
			startedAt,
			...options
		};
		this.originMs = startedAt;
		this.beginRecording(id, new BeatTimeline(startedAt), () => this.store.createSession(row), 0);
		// On a full disk the row is not written: recording goes on in memory (storageTrouble says
		// so) and each flush tries again.
		await this.writer!.flush();
	}

	/**
	 * Continues an interrupted session: new beats are appended after the saved ones, and the time
	 * in between is recorded as a gap.
	 */
	async resumeSession(info: ResumePoint): Promise<void> {
		if (!this.strap || this.phase === 'recording') return;
		await this.takeLock();
		const timeline = new BeatTimeline(info.session.startedAt);
		timeline.resumeAfter(info.lastTimeMs);
		this.originMs = info.session.startedAt;
		this.beginRecording(info.session.id, timeline, undefined, info.nextSeq);
		// The saved beats go back into the live figures, charts and final summary (not to the disk).
		const { rrMs, timeMs, flags } = info.saved;
		const saved = Array.from(rrMs, (rr, i) => ({ rrMs: rr, timeMs: timeMs[i], flags: flags[i] }));
		if (saved.length > 0) this.onBeats(saved, false);
		this.savedBeats = saved.length;
	}

	private async takeLock(): Promise<void> {
		if (this.phase === 'saving') {
			throw new Error(
				'The last session is not saved yet: it waits for room in storage and saves by itself.'
			);
		}
		const lock = await this.store.acquireLock?.();
		if (lock === null) {
			throw new Error('Another Settle tab is recording. Stop it there (or close that tab) first.');
		}
		this.lock = lock;
	}

	private beginRecording(
		id: string,
		timeline: BeatTimeline,
		create: (() => Promise<unknown>) | undefined,
		seq: number
	): void {
		this.sessionId = id;
		this.timeline = timeline;
		this.firstSeq = seq;
		this.savedBeats = 0;
		this.startShiftMs = 0;
		this.storageTrouble = undefined;
		this.storageMessage = undefined;
		this.savedAfterTrouble = 0;
		this.notRecorded = 0;
		this.unheldFromMs = undefined;
		this.unheldSpans = [];
		this.writer = new BeatWriter(this.store, id, (o) => this.onFlushed(o), create, seq);
		this.beats = [];
		this.hrPoints.length = 0;
		this.rrPoints.length = 0;
		this.rmssdPoints.length = 0;
		this.gapBands = [];
		this.live = emptyLiveFigures();
		this.liveTracker = new LiveTracker();
		this.liveBreathing = undefined;
		this.measuredBreath = undefined;
		this.beatCount = 0;
		this.elapsedMs = 0;
		this.pauses = [];
		this.pausedAtMs = undefined;
		this.contactLosses = [];
		this.contactLostAtMs = undefined;
		this.phase = 'recording';
		this.flushTimer = setInterval(() => void this.writer?.flush(), FLUSH_INTERVAL_MS);
		// The accelerometer streams while a session records (it costs the strap's battery).
		void this.strap?.setMovementWanted?.(true);
	}

	/** Marks a pause; beats keep being recorded (nothing is lost), the pause is noted for charts. */
	pause(): void {
		if (this.phase !== 'recording' || this.pausedAtMs !== undefined) return;
		this.pausedAtMs = this.elapsedMs;
	}

	resume(): void {
		if (this.pausedAtMs === undefined) return;
		this.pauses.push({ startMs: this.pausedAtMs, endMs: this.elapsedMs });
		this.pausedAtMs = undefined;
	}

	/** Writes what is pending now (the page is being hidden or closed). */
	flushNow(): Promise<void> {
		return this.writer?.flush() ?? Promise.resolve();
	}

	async stop(): Promise<string | undefined> {
		if (this.phase !== 'recording' || !this.sessionId || !this.writer) return undefined;
		this.resume();
		this.phase = 'saving';
		clearInterval(this.flushTimer);
		void this.strap?.setMovementWanted?.(false);
		const id = this.sessionId;
		const writer = this.writer;
		this.trackContact('contact');
		this.endUnheld();
		// Storage refusing: the beats wait in memory and are written once there is room (the
		// person is told what to do); this tab keeps the recording lock meanwhile.
		await writer.flush();
		while (!writer.allWritten) {
			await wait(FLUSH_INTERVAL_MS);
			await writer.flush();
		}
		const at = await this.correctTimes(id);
		const span = (e: { startMs: number; endMs: number }) => ({
			startMs: at(e.startMs),
			endMs: at(e.endMs)
		});
		const events: SessionEventRow[] = [
			...(this.timeline?.gaps ?? []).map((gap) => ({
				sessionId: id,
				type: 'gap' as const,
				startMs: at(gap.startMs),
				endMs: at(gap.endMs, true)
			})),
			...this.unheldSpans.map((u) => ({ sessionId: id, type: 'gap' as const, ...span(u) })),
			...this.pauses.map((p) => ({ sessionId: id, type: 'pause' as const, ...span(p) })),
			...this.contactLosses.map((c) => ({
				sessionId: id,
				type: 'contact-loss' as const,
				...span(c)
			}))
		];
		// Breathing first, so the summary holds its figures only when the breathing row was kept
		// (the background re-analysis reads them again from that row).
		const breathing = await this.saveBreathing(id);
		const summary = computeSummary(toSeries(this.beats), undefined, breathing);
		for (;;) {
			try {
				await this.store.finishRecording(id, summary, events);
				break;
			} catch (error) {
				this.onFlushed({ ok: false, error });
				await wait(FLUSH_INTERVAL_MS);
			}
		}
		this.storageTrouble = undefined;
		this.lock?.release();
		this.lock = undefined;
		this.phase = 'saved';
		void this.store.afterSave?.();
		return id;
	}

	/**
	 * Puts the stored beat times right (see beat-timeline.ts): live, each stretch of beats was
	 * placed late by its first packet's latency; now the timeline knows it to within the smallest
	 * latency of the stretch. Rewrites this run's chunks (the session's start moves earlier when its
	 * first beats ended before it: `startShiftMs`), moves `beats` to match, and returns where a
	 * placed time (an event's) goes. When storage refuses, times stay as placed (as they do in a
	 * session recovered after a crash: its correction was never stored).
	 */
	private async correctTimes(id: string): Promise<(placedMs: number, gapEnd?: boolean) => number> {
		const unchanged = (placedMs: number) => placedMs;
		const timeline = this.timeline;
		if (!timeline || !this.store.retimeBeats) return unchanged;
		try {
			const { sessionCorrection } = await import('$lib/strap/beat-correction');
			const fix = sessionCorrection(timeline, this.beats.slice(this.savedBeats));
			await this.store.retimeBeats(id, this.firstSeq, fix.timesMs, fix.originShiftMs);
			this.beats = this.beats.map((b, i) => ({
				...b,
				timeMs:
					i < this.savedBeats ? b.timeMs + fix.originShiftMs : fix.timesMs[i - this.savedBeats]
			}));
			this.startShiftMs = fix.originShiftMs;
			return fix.at;
		} catch {
			return unchanged;
		}
	}

	/** Samples wait (in order) for the analysis, fetched with the first of them. */
	private onMovement(samples: MovementSamples, atMs: number): void {
		this.liveBreathing ??= import('$lib/breath-measured/live').then((m) => new m.LiveBreathing());
		void this.liveBreathing.then((live) => {
			const figures = live.push(samples.timeMs, samples.xyz, atMs);
			if (figures && this.phase === 'recording') this.measuredBreath = figures;
		});
	}

	/**
	 * The whole recording's movement analysed again, its breaths and signal kept with the session
	 * (times from the session's start, which correctTimes may have moved earlier). A refused write
	 * loses the breathing, never the beats. Returns what was kept (for the summary).
	 */
	private async saveBreathing(id: string): Promise<SummaryBreathing | undefined> {
		const record = (await this.liveBreathing)?.record(
			this.originMs - this.startShiftMs,
			this.info?.movement?.rateHz ?? 25
		);
		if (!record || !this.store.saveBreathing) return undefined;
		try {
			await this.store.saveBreathing(id, record);
			return record;
		} catch {
			this.storageMessage =
				'The breathing the strap measured could not be saved (storage refused it).';
			return undefined;
		}
	}

	/** The demo strap breathes with the pacer; real straps ignore this. */
	/** restartCycle: a new breath starts now, with a pacer that has just started (the demo strap). */
	followBreathing(pattern: BreathPattern, restartCycle = false): void {
		this.breathing = pattern;
		const strap = this.strap as
			(Strap & { setBreathing?: (p: BreathPattern, restartCycle?: boolean) => void }) | undefined;
		strap?.setBreathing?.(pattern, restartCycle);
	}

	/** Cancels automatic reconnection (the person gave up on the strap). */
	cancelReconnect(): void {
		const strap = this.strap as (Strap & { cancelReconnect?: () => void }) | undefined;
		strap?.cancelReconnect?.();
	}

	private onBeats(beats: Beat[], write = true): void {
		if (write && !this.holdAccepts(beats)) return;
		const t0 = performance.now();
		for (const b of beats) this.beats.push(b);
		if (write) this.writer?.push(beats);
		const tracker = this.liveTracker!;
		for (const b of beats) {
			const x = b.timeMs / 1000;
			tracker.push(b);
			if (b.flags === 0) {
				this.hrPoints.push({ x, y: 60000 / b.rrMs });
				this.rrPoints.push({ x, y: b.rrMs });
			}
		}
		// Keep the tachogram's data to what it shows (two minutes), so redraws stay cheap.
		const from = beats[beats.length - 1].timeMs / 1000 - 125;
		let drop = 0;
		while (drop < this.rrPoints.length && this.rrPoints[drop].x < from) drop++;
		if (drop > 0) this.rrPoints.splice(0, drop);
		const figures = tracker.figures();
		if (figures.rmssdPoint) {
			this.rmssdPoints.push(figures.rmssdPoint);
			this.rmssdVersion++;
		}
		this.live = figures.live;
		this.gapBands = (this.timeline?.gaps ?? []).map((g) => ({
			from: g.startMs / 1000,
			to: g.endMs / 1000
		}));
		this.beatCount = this.beats.length;
		this.elapsedMs = beats[beats.length - 1].timeMs;
		this.chartVersion++;
		// Replayed beats are not live ones: they would skew the per-beat cost.
		if (write) beatCost.record(performance.now() - t0, beats.length);
	}

	/** What a flush found: trouble to tell the person, or trouble over. */
	private onFlushed(outcome: FlushOutcome): void {
		if (outcome.ok) {
			if (this.storageTrouble) {
				this.savedAfterTrouble = outcome.wrote;
				this.endUnheld();
			}
			this.storageTrouble = undefined;
			return;
		}
		const err = outcome.error as { name?: string; message?: string; inner?: { message?: string } };
		this.storageTrouble = {
			kind: isQuotaError(err) ? 'full' : 'failed',
			reason: err?.inner?.message || err?.message || String(err),
			heldBeats: this.writer?.pendingCount ?? 0,
			holdFull: (this.writer?.pendingCount ?? 0) >= this.holdLimitBeats,
			holdLimitBeats: this.holdLimitBeats,
			notRecorded: this.notRecorded,
			stopped: this.phase !== 'recording',
			bpm: this.bpm
		};
		this.savedAfterTrouble = 0;
	}

	/**
	 * False when the hold has no room for these beats: they are not recorded (counted, and their
	 * span stored as a gap) until a write makes room.
	 */
	private holdAccepts(beats: Beat[]): boolean {
		const held = this.writer?.pendingCount ?? 0;
		if (held + beats.length <= this.holdLimitBeats) {
			this.endUnheld();
			return true;
		}
		this.unheldFromMs ??= this.elapsedMs;
		this.elapsedMs = beats[beats.length - 1].timeMs;
		this.notRecorded += beats.length;
		if (this.storageTrouble) {
			this.storageTrouble = {
				...this.storageTrouble,
				holdFull: true,
				heldBeats: held,
				notRecorded: this.notRecorded
			};
		}
		return false;
	}

	private endUnheld(): void {
		if (this.unheldFromMs === undefined) return;
		this.unheldSpans.push({ startMs: this.unheldFromMs, endMs: this.elapsedMs });
		this.unheldFromMs = undefined;
	}

	private trackContact(contact: ContactStatus): void {
		if (contact === 'no-contact' && this.contactLostAtMs === undefined) {
			this.contactLostAtMs = this.elapsedMs;
		} else if (contact !== 'no-contact' && this.contactLostAtMs !== undefined) {
			this.contactLosses.push({ startMs: this.contactLostAtMs, endMs: this.elapsedMs });
			this.contactLostAtMs = undefined;
		}
	}

	private onStrapEvent(e: StrapEvent): void {
		switch (e.type) {
			case 'link':
				this.link = e.state;
				this.linkMessage = e.reason;
				if (this.timeline && this.phase === 'recording') {
					if (e.state === 'reconnecting') this.timeline.linkLost(e.atMs);
					if (e.state === 'connected') this.timeline.linkRestored(e.atMs);
				}
				break;
			case 'info':
				this.info = { ...e.info };
				break;
			case 'packet-error':
				this.packetErrors++;
				break;
			case 'movement':
				if (this.phase === 'recording') this.onMovement(e.samples, e.atMs);
				break;
			case 'measurement': {
				const m = e.measurement;
				this.packetsReceived++;
				this.bpm = m.bpm;
				this.contact = m.contact;
				if (this.phase === 'recording') this.trackContact(m.contact);
				if (m.rrMs.length > 0) this.rrSeen = true;
				if (this.phase === 'recording' && this.timeline && this.writer) {
					const beats = this.timeline.add(m, e.atMs);
					if (beats.length > 0) this.onBeats(beats);
				}
				break;
			}
		}
	}
}

function wait(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

function toSeries(beats: readonly Beat[]) {
	return {
		rrMs: Float64Array.from(beats, (b) => b.rrMs),
		timeMs: Float64Array.from(beats, (b) => b.timeMs),
		flags: Uint8Array.from(beats, (b) => b.flags)
	};
}
