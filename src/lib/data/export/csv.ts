/** CSV export: UTF-8 with a BOM (so Excel and WPS open Chinese correctly), every field through csv-safe. */
import { csvText } from './csv-safe';
import type { ExportTable } from './tables';

export const UTF8_BOM = '\ufeff';

export function tableToCsv(t: ExportTable): string {
	const rows: (string | number | boolean | null)[][] = [];
	for (let r = 0; r < t.rowCount; r++) rows.push(t.columns.map((c) => c.values[r]));
	return UTF8_BOM + csvText(
		t.columns.map((c) => c.name),
		rows
	);
}
