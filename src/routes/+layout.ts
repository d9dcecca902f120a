// Settle is a client-only app: Web Bluetooth and IndexedDB exist only in the browser.
export const ssr = false;
export const prerender = false;
