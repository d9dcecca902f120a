/**
 * A setting the server was started with that cannot work (a certificate that cannot be read, an
 * app folder without the built app): said in one line with the usage, exit code 2, like a
 * mistake in the arguments.
 */
export class SettingError extends Error {
	name = 'SettingError';
}
