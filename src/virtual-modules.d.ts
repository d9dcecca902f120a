/** The address of Chart.js's classic script in a build; undefined on the dev server (vite.config.ts). */
declare module 'virtual:charts-script' {
	const src: string | undefined;
	export default src;
}
