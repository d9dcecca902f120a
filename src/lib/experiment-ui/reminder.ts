/**
 * Reminders without a server. A web app cannot wake a device at a set time: scheduled
 * notifications (Notification Triggers) never shipped, and push needs a server, which Settle does
 * not have. What it can do: when the app is opened (or brought back) late in the day and today's
 * experiment day has no reading yet, show a notification, if the person allowed them. The page
 * says this plainly and suggests a daily alarm in the phone's clock for a reminder at a set time.
 */
export const LATE_HOUR = 18;
const PREF = 'settle-experiment-reminder';
const SHOWN = 'settle-experiment-reminded-on';

export const REMINDER_LIMITS =
	'Settle has no server, so it cannot wake your device at a set time: browsers offer no scheduled notifications to a web app. If you allow notifications, Settle reminds you when you open it after 6 pm on an experiment day without a reading. For a reminder at a fixed time, set a daily alarm in your phone’s clock.';

export function remindersWanted(storage: Pick<Storage, 'getItem'> = localStorage): boolean {
	return storage.getItem(PREF) === '1';
}

export function notificationsAllowed(): boolean {
	return typeof Notification !== 'undefined' && Notification.permission === 'granted';
}

/** Asks for permission (from a click); true when reminders are on. */
export async function turnRemindersOn(): Promise<boolean> {
	if (typeof Notification === 'undefined') return false;
	const answer = await Notification.requestPermission();
	if (answer !== 'granted') return false;
	localStorage.setItem(PREF, '1');
	return true;
}

export function turnRemindersOff(): void {
	localStorage.removeItem(PREF);
}

export function shouldRemind(opts: {
	hour: number;
	hasReading: boolean;
	wanted: boolean;
	allowed: boolean;
	alreadyRemindedToday: boolean;
}): boolean {
	return (
		opts.hour >= LATE_HOUR &&
		!opts.hasReading &&
		opts.wanted &&
		opts.allowed &&
		!opts.alreadyRemindedToday
	);
}

/** Shows the late-day reminder once a day, through the service worker when there is one. */
export async function remindIfLate(
	day: string,
	hasReading: boolean,
	text: string,
	now = new Date()
) {
	if (
		!shouldRemind({
			hour: now.getHours(),
			hasReading,
			wanted: remindersWanted(),
			allowed: notificationsAllowed(),
			alreadyRemindedToday: localStorage.getItem(SHOWN) === day
		})
	)
		return;
	localStorage.setItem(SHOWN, day);
	const title = 'Settle: your experiment';
	const reg = await navigator.serviceWorker?.getRegistration().catch(() => undefined);
	if (reg) await reg.showNotification(title, { body: text, tag: 'settle-experiment' });
	else new Notification(title, { body: text, tag: 'settle-experiment' });
}
