/**
 * The CLIs' one flag walk: boolean flags, value flags (each needs a value that is not another flag), and one
 * UsageError for bad usage (printed as one line, exit code 2, by each CLI's top level).
 */
import type { Parsed } from '../../src/lib/engine/settings';

export class UsageError extends Error {}

/** A value parser's answer, or a UsageError naming the flag. */
export type Take = <T>(r: Parsed<T>) => T;

export function walkFlags(
	argv: readonly string[],
	flags: { booleans: ReadonlySet<string>; values: ReadonlySet<string> },
	on: { boolean: (flag: string) => void; value: (flag: string, value: string, take: Take) => void }
): void {
	for (let i = 0; i < argv.length; i++) {
		const flag = argv[i];
		if (flags.booleans.has(flag)) {
			on.boolean(flag);
			continue;
		}
		if (!flags.values.has(flag)) throw new UsageError(`unknown flag "${flag}"`);
		const v = argv[++i];
		if (v === undefined || v.startsWith('--')) throw new UsageError(`flag ${flag} needs a value`);
		on.value(flag, v, (r) => {
			if (!r.ok) throw new UsageError(`${flag} ${r.reason}`);
			return r.value;
		});
	}
}
