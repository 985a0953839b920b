/** The region list (index.json) and the loaded region's payload from the worker. */
import type { Mode } from '../engine/types';
import type { AreaModeRule } from '../engine/region';
import type { RegionIndex, RegionIndexEntry, RegionPayload } from '../workers/handlers/region';

export class RegionStore {
	/** the id of the region shown (or being loaded) */
	id = $state('');
	index = $state.raw<RegionIndex | null>(null);
	payload = $state.raw<RegionPayload | null>(null);
	loading = $state(false);

	readonly entry: RegionIndexEntry | null = $derived(this.index?.regions.find((r) => r.id === this.id) ?? null);

	get policyRules(): AreaModeRule[] {
		return this.payload?.policy.areaModeRules ?? [];
	}

	/** true when the region has a road graph for this mode (else only the radius method applies) */
	hasNetworkFor(mode: Mode): boolean {
		return !!this.payload?.networkModes.includes(mode);
	}
}
