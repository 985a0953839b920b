/** Types shared by the data stages (pure: no file access here). */

/** Maps a manifest path (relative to the data root, or absolute) to an absolute path. */
export type ResolvePath = (path: string) => string;

/** Progress / warning sink for the stages (the CLI prints it; tests may collect it). */
export type Log = (message: string) => void;
