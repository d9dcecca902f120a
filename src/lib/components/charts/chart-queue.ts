/**
 * Creating a chart costs tens of milliseconds (measuring text, laying out scales). Pages that draw
 * several at once (History, Compare) queue them here, one per task, so no single task blocks input
 * for long (Lighthouse's total blocking time). A MessageChannel, not setTimeout, because nested
 * timeouts are clamped to 4 ms each.
 */
const jobs: (() => void)[] = [];
let channel: MessageChannel | undefined;
let posted = false;

function runOne(): void {
	posted = false;
	const job = jobs.shift();
	if (jobs.length > 0) post();
	job?.();
}

function post(): void {
	if (posted) return;
	posted = true;
	if (!channel) {
		channel = new MessageChannel();
		channel.port1.onmessage = runOne;
	}
	channel.port2.postMessage(null);
}

/** Runs `job` in a task of its own, after the jobs queued before it; returns a cancel function. */
export function inOwnTask(job: () => void): () => void {
	jobs.push(job);
	post();
	return () => {
		const i = jobs.indexOf(job);
		if (i >= 0) jobs.splice(i, 1);
	};
}
