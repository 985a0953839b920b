/**
 * The URL-backed settings of the view: language, travel mode and threshold, counted levels, target, map colouring,
 * method and per-area modes. Set from the region policy or the link on load; the controls edit them.
 */
import { translator, type Translate } from '../i18n';
import type { FacilityLevel, MethodChoice, Mode } from '../engine/types';
import type { RegionPayload } from '../workers/handlers/region';
import { toAreaModes, type AreaModes, type Lang, type PartialViewState, type ViewKind, type ViewState } from './url-state';

export class ViewStore {
	lang = $state<Lang>('zh-CN');
	mode = $state<Mode>('walk');
	maxMinutes = $state(15);
	/** replaced whole on every change (never mutated), so it can be read without a snapshot */
	levels = $state.raw<FacilityLevel[]>([]);
	targetShare = $state(0.9);
	/** the map colouring: travel-time bands or uncovered people */
	kind = $state<ViewKind>('time');
	/** the chosen travel-time method; a region without any network can only use 'radius' */
	method = $state<MethodChoice>('auto');
	/** per-area modes (area id -> mode), replaced whole on every change */
	areaModes = $state.raw<AreaModes>({});

	readonly t: Translate = $derived(translator(this.lang));

	/** The URL view state of these settings for a region. */
	snapshot(region: string): ViewState {
		return {
			region,
			mode: this.mode,
			maxMinutes: this.maxMinutes,
			levels: this.levels,
			targetShare: this.targetShare,
			view: this.kind,
			lang: this.lang,
			method: this.method,
			areaModes: this.areaModes
		};
	}

	/**
	 * The region's policy defaults, with the fields a link carries taking precedence. Returns the area ids of the
	 * link's per-area modes that this region does not have (they are dropped).
	 */
	applyPolicy(payload: RegionPayload, link: PartialViewState = {}): string[] {
		const pol = payload.policy;
		this.mode = link.mode ?? pol.mode;
		this.maxMinutes = link.maxMinutes ?? pol.maxMinutes;
		this.levels = link.levels ?? [...pol.levels];
		this.targetShare = link.targetShare ?? pol.targetShare;
		// no network at all: the radius method is the only one (the link's choice cannot apply)
		this.method = payload.networkModes.length ? (link.method ?? 'auto') : 'radius';
		const ids = payload.areas.map((a) => a.id);
		const known: AreaModes = {};
		const unknown: string[] = [];
		for (const [id, m] of Object.entries(link.areaModes ?? toAreaModes(pol.areaModeRules))) {
			if (ids.includes(id)) known[id] = m;
			else unknown.push(id);
		}
		this.areaModes = known;
		return unknown;
	}

	/** number of areas with their own mode */
	get areaModeCount(): number {
		return Object.keys(this.areaModes).length;
	}

	/** Give an area its own mode, or (null) let it follow the global mode. */
	setAreaMode(areaId: string, mode: Mode | null): void {
		if ((this.areaModes[areaId] ?? null) === mode) return;
		const next = { ...this.areaModes };
		if (mode) next[areaId] = mode;
		else delete next[areaId];
		this.areaModes = next;
	}

	clearAreaModes(): void {
		if (this.areaModeCount > 0) this.areaModes = {};
	}

	setLevel(level: FacilityLevel, on: boolean): void {
		const has = this.levels.includes(level);
		if (on && !has) this.levels = [...this.levels, level];
		else if (!on && has) this.levels = this.levels.filter((l) => l !== level);
	}
}
