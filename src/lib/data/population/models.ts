/**
 * Alternative population models per region, shown beside the region's own so a planner sees how much the answer
 * depends on the population model. Data, not code: each names its dataset file (read in place) and its caveat.
 */
import type { Localized } from '../../engine/region';

export interface AlternativePopulationModel {
	id: string;
	kind: 'grid-weights';
	/** inside the data folder */
	path: string;
	label: Localized;
	licence: string;
}

export const ALTERNATIVE_POPULATION_MODELS: Record<string, AlternativePopulationModel[]> = {
	shanghai: [
		{
			id: 'worldpop2020-1km',
			kind: 'grid-weights',
			path: 'shanghai-worldpop2020-1km/shanghai_worldpop2020_1km_pixels.csv',
			label: {
				zh: '模型人口：普查区总数按 WorldPop 2020（1 公里）栅格分配，栅格内再按居住类兴趣点细分',
				en: 'Modelled population: census district totals spread over the WorldPop 2020 1 km grid, then over residential POIs inside each pixel'
			},
			licence: 'WorldPop 2020 (CC BY 4.0), doi:10.5258/SOTON/WP00671; read points via UrbanCLIP (Yan et al., WWW 2024)'
		}
	]
};
