/** One edit as a sentence for the edit lists (zh-CN / en through the translator). */
import type { Edit } from '../../engine/scenario/edits';
import type { Translate } from '../../i18n';

export function describeEdit(e: Edit, t: Translate, nameOf: (id: string) => string): string {
	const level = (l: string) => t(`level.${l}` as Parameters<Translate>[0]);
	switch (e.op) {
		case 'add':
			return t('scenario.edit.add', { name: e.name, level: level(e.level) });
		case 'move':
			return t('scenario.edit.move', { name: nameOf(e.facilityId) });
		case 'remove':
			return t('scenario.edit.remove', { name: nameOf(e.facilityId) });
		case 'merge':
			return t('scenario.edit.merge', { name: nameOf(e.facilityId), into: nameOf(e.intoId) });
		case 'level':
			return t('scenario.edit.level', { name: nameOf(e.facilityId), level: level(e.level) });
		case 'restore':
			return t('scenario.edit.restore', { name: nameOf(e.facilityId) });
		case 'unadd':
			return t('scenario.edit.unadd', { name: nameOf(e.facilityId) });
		case 'batch':
			return t('scenario.edit.batch', { label: e.label, n: e.edits.length });
	}
}
