import type { INodeExecutionData } from 'n8n-workflow';

import { addOutputFiles } from '../../../../nodes/CodeInterpreter/actions/codeRuns/outputFiles';

const binary = (fileName: string) => ({ data: '', mimeType: 'text/plain', fileName });

test('output files join the item; a property its results already use is renamed, and the JSON says so', () => {
	const item: INodeExecutionData = { json: { text: '1' }, binary: { data: binary('result-1.png') } };
	addOutputFiles(item, {
		json: [
			{ name: 'data', path: '/home/user/output/data', size: 3, binaryProperty: 'data' },
			{ name: 'summary.csv', path: '/home/user/output/summary.csv', size: 9, binaryProperty: 'summary_csv' },
		],
		binary: { data: binary('data'), summary_csv: binary('summary.csv') },
		notes: [],
	});
	expect(item.binary).toEqual({ data: binary('result-1.png'), data_1: binary('data'), summary_csv: binary('summary.csv') });
	expect((item.json.outputFiles as Array<{ binaryProperty: string }>).map((file) => file.binaryProperty)).toEqual(['data_1', 'summary_csv']);
});

test('no output files leave the item as it was', () => {
	const item: INodeExecutionData = { json: { text: '1' } };
	addOutputFiles(item, { json: [], binary: {}, notes: [] });
	expect(item).toEqual({ json: { text: '1' } });
});
