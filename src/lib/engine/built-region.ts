/** What the pipeline writes for a region (data/build/<id>/region.json) and what the app, CLI and bench read. */
import type { Localized, RegionManifest } from './region';
import type { CellTable, Mode } from './types';
import type { CareHome } from './allocation/elderly';

export interface BuiltArea {
	id: string;
	name: string;
	/** [west, south, east, north] */
	bbox: [number, number, number, number];
}

export interface BuiltRegion {
	formatVersion: 1;
	id: string;
	name: Localized;
	manifest: RegionManifest;
	inputHash: string;
	builtAt: string;
	bbox: [number, number, number, number];
	files: {
		graphs: Partial<Record<Mode, string>>;
		cells: string;
		facilities: string;
		areas: string;
		/** planning: elderly care homes and 60+ shares (BuiltElderly), when the manifest has `elderly` */
		elderly?: string;
	};
	areas: BuiltArea[];
	areaLevel: Localized;
	hasNetwork: boolean;
	populationMethod: CellTable['populationMethod'];
	populationLabel: Localized;
	/** facility sources that are assumptions, not data (shown as a warning on every output) */
	modelledFacilities: Localized[];
	/** per-stage reports: JSON-able, shown in the CLI and the app's "about this data" */
	reports: Record<string, unknown>;
	/** sizes in bytes of the files, for the download-size figure */
	bytes: Record<string, number>;
}

export interface BuildIndex {
	regions: {
		id: string;
		name: Localized;
		hasNetwork: boolean;
		modes: Mode[];
		populationMethod: CellTable['populationMethod'];
		default?: boolean;
	}[];
}

export const DEFAULT_REGION_ID = 'shanghai';

/** data/build/<id>/elderly.json: the planning inputs of the manifest's `elderly` block, read and converted. */
export interface BuiltElderly {
	careHomes: CareHome[] | null;
	careHomesLabel: Localized | null;
	/** 60+ share per area, in the order of BuiltRegion.areas */
	ageShareByArea: number[] | null;
	agesLabel: Localized | null;
}
