// Applies the saved colour theme before the first paint (no flash of the wrong theme).
try {
	const t = localStorage.getItem('settle-theme');
	if (t === 'dark' || t === 'light') document.documentElement.setAttribute('data-theme', t);
} catch {
	// Storage blocked: follow the system theme.
}
