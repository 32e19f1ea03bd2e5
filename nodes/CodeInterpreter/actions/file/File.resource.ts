import type { INodeProperties } from 'n8n-workflow';

import * as download from './download.operation';
import * as list from './list.operation';
import * as upload from './upload.operation';

export { download, list, upload };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['file'] } },
		options: [
			{ name: 'Download', value: 'download', description: 'Read a file from a sandbox as binary data', action: 'Download file' },
			{ name: 'List', value: 'list', description: 'List the files in a sandbox folder', action: 'List files' },
			{ name: 'Upload', value: 'upload', description: 'Write binary data to a file in a sandbox', action: 'Upload file' },
		],
		default: 'upload',
	},
	...upload.description,
	...download.description,
	...list.description,
];
