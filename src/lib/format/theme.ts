/** The colour theme: the system's by default, or the person's choice, remembered on this device. */
export type ThemeChoice = 'system' | 'light' | 'dark';
const KEY = 'settle-theme';

export function loadTheme(): ThemeChoice {
	try {
		const v = localStorage.getItem(KEY);
		return v === 'light' || v === 'dark' ? v : 'system';
	} catch {
		return 'system';
	}
}

export function applyTheme(choice: ThemeChoice): void {
	const root = document.documentElement;
	if (choice === 'system') root.removeAttribute('data-theme');
	else root.setAttribute('data-theme', choice);
	try {
		if (choice === 'system') localStorage.removeItem(KEY);
		else localStorage.setItem(KEY, choice);
	} catch {
		// Storage blocked: the choice lasts for this visit.
	}
}

export function nextTheme(choice: ThemeChoice): ThemeChoice {
	return choice === 'system' ? 'dark' : choice === 'dark' ? 'light' : 'system';
}
