// A field's converter travels with its declaration: a spread copy of a field (as the tool
// variant and displayOptions helpers make) still converts its value the same way.
import { bodyField, buildBody } from '../../nodes/Sivi/shared/bodyFields';
import { toList } from '../../nodes/Sivi/actions/common/convert';

const colors = bodyField(
	'brandColors',
	{ displayName: 'Colors', name: 'colors', type: 'string', default: '' },
	toList,
);

it('converts through a spread copy of the field as through the field', () => {
	const copy = { ...colors, displayOptions: { show: { operation: ['create'] } } };
	const read = () => '#112233, rgba(1, 2, 3, 0.5)';
	const expected = { brandColors: ['#112233', 'rgba(1, 2, 3, 0.5)'] };
	expect(buildBody([colors], read)).toEqual(expected);
	expect(buildBody([copy], read)).toEqual(expected);
	// The description the editor receives is JSON: the converter is not in it.
	expect(JSON.parse(JSON.stringify(copy))).not.toHaveProperty('toBody');
});
