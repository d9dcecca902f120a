/**
 * Creating a chart costs several milliseconds (measuring text, laying out scales). Pages that draw
 * several at once (History, Compare) queue them here, to be drawn in tasks of at most about 30 ms:
 * History's three (about 8 ms each on a 2-core machine) are drawn in one task and shown in one
 * frame, while a page with more charts still leaves input a turn between tasks, none of which grows
 * into a long task (50 ms, Lighthouse's total blocking time). One chart per task, as before, cost
 * a rendering of the whole page between charts: History drew 11–13 ms later in a new tab.
 * A MessageChannel, not setTimeout, because nested timeouts are clamped to 4 ms each.
 */
const jobs: (() => void)[] = [];
let channel: MessageChannel | undefined;
let posted = false;

/** Starts no further chart in a task after this long. */
const SLICE_MS = 30;

function runSome(): void {
	posted = false;
	const until = performance.now() + SLICE_MS;
	try {
		while (jobs.length > 0 && performance.now() < until) jobs.shift()!();
	} finally {
		// Also when a chart threw: the rest are still drawn.
		if (jobs.length > 0) post();
	}
}

function post(): void {
	if (posted) return;
	posted = true;
	if (!channel) {
		channel = new MessageChannel();
		channel.port1.onmessage = runSome;
	}
	channel.port2.postMessage(null);
}

/** Runs `job` in a later task, after the charts queued before it; returns a cancel function. */
export function queueChart(job: () => void): () => void {
	jobs.push(job);
	post();
	return () => {
		const i = jobs.indexOf(job);
		if (i >= 0) jobs.splice(i, 1);
	};
}
