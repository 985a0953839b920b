/**
 * Travel speeds and detour factors. The defaults are chosen so that the service-radius method and
 * the network method agree with the national 15-minute life circle standard (GB 50180-2018:
 * walking distance 800-1000 m): walking 1.25 m/s (4.5 km/h) with a detour factor of 1.25 gives a
 * straight-line radius of 900 m for 15 minutes, the middle of that range. See README "Method".
 */
import type { Mode } from './types';

export interface ModeProfile {
	mode: Mode;
	/** speed on a road with no known class, m/s */
	defaultSpeedMps: number;
	/** speed per OSM highway class, m/s; a class absent here uses defaultSpeedMps; null = not allowed */
	speedByClassMps: Record<string, number | null>;
	/** straight-line -> network distance factor for the service-radius method */
	detourFactor: number;
	/** true when one-way tags apply (drive only) */
	respectsOneway: boolean;
	/** speed of the off-network access leg (always walked), m/s */
	accessSpeedMps: number;
}

const kmh = (v: number) => v / 3.6;

export const WALK: ModeProfile = {
	mode: 'walk',
	defaultSpeedMps: 1.25,
	speedByClassMps: { motorway: null, motorway_link: null, construction: null, proposed: null, raceway: null },
	detourFactor: 1.25,
	respectsOneway: false,
	accessSpeedMps: 1.25
};

export const CYCLE: ModeProfile = {
	mode: 'cycle',
	defaultSpeedMps: kmh(12),
	speedByClassMps: {
		motorway: null,
		motorway_link: null,
		construction: null,
		proposed: null,
		raceway: null,
		steps: null,
		footway: kmh(5), // pushed or slow on shared paths
		pedestrian: kmh(5),
		path: kmh(8)
	},
	detourFactor: 1.25,
	respectsOneway: false,
	accessSpeedMps: 1.25
};

export const DRIVE: ModeProfile = {
	mode: 'drive',
	// urban congested average; rural extracted roads have no class and use this too
	defaultSpeedMps: kmh(30),
	speedByClassMps: {
		motorway: kmh(80),
		motorway_link: kmh(40),
		trunk: kmh(50),
		trunk_link: kmh(30),
		primary: kmh(40),
		primary_link: kmh(30),
		secondary: kmh(35),
		secondary_link: kmh(25),
		tertiary: kmh(30),
		tertiary_link: kmh(20),
		unclassified: kmh(25),
		residential: kmh(20),
		living_street: kmh(10),
		service: kmh(15),
		road: kmh(25),
		track: kmh(15),
		footway: null,
		pedestrian: null,
		path: null,
		steps: null,
		cycleway: null,
		bridleway: null,
		corridor: null,
		construction: null,
		proposed: null,
		raceway: null
	},
	detourFactor: 1.3,
	respectsOneway: true,
	accessSpeedMps: 1.25
};

export const PROFILES: Record<Mode, ModeProfile> = { walk: WALK, cycle: CYCLE, drive: DRIVE };

/** Speed for a road class under a profile; null = the mode may not use it. */
export function speedForClass(profile: ModeProfile, roadClass: string | undefined | null): number | null {
	if (!roadClass) return profile.defaultSpeedMps;
	const v = profile.speedByClassMps[roadClass];
	return v === undefined ? profile.defaultSpeedMps : v;
}
