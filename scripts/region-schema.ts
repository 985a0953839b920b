/** Writes data/regions/region.schema.json from the valibot manifest schema (`npm run schema`; tests check it is current). */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { regionJsonSchema } from '../src/lib/engine/region-json-schema';
import { regionsDir } from './lib/paths';

const file = path.join(regionsDir, 'region.schema.json');
writeFileSync(file, JSON.stringify(regionJsonSchema(), null, 1) + '\n');
console.log(`wrote ${path.relative(process.cwd(), file)}`);
