/**
 * Text from data files printed to a terminal: control characters (ESC sequences that recolour, move the cursor,
 * retitle the window or hide lines; bidi overrides) are replaced by U+FFFD, so a facility name cannot rewrite the
 * screen. Tabs and newlines are spaces: one record, one line.
 */
// C0 except nothing, DEL, C1, and the bidi embedding / override / isolate controls
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

export function terminalSafe(text: string): string {
	return text.replace(/[\t\n]/g, ' ').replace(CONTROL, '\ufffd');
}
