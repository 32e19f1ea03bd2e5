import type { IExecuteFunctions } from 'n8n-workflow';
import { BINARY_ENCODING, NodeOperationError } from 'n8n-workflow';
import { Readable } from 'stream';

/**
 * The item's binary property as a stream: from n8n's binary data store when it is there (filesystem mode, so
 * memory stays bounded), else from the item itself. A missing property names the ones the item has.
 */
export async function binaryInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	propertyName: string,
): Promise<{ content: Readable; fileName?: string }> {
	const binaries = ctx.getInputData()[itemIndex].binary ?? {};
	const binary = binaries[propertyName];
	if (!binary) {
		const present = Object.keys(binaries);
		throw new NodeOperationError(ctx.getNode(), `The item has no binary property "${propertyName}"`, {
			itemIndex,
			description: present.length
				? `Its binary properties are: ${present.join(', ')}. Set "Input Binary Field" to one of them.`
				: 'It has no binary data at all. Put a node that reads or makes a file (e.g. Read/Write Files from Disk, HTTP Request, Convert to File) before this one.',
		});
	}
	const content = binary.id
		? await ctx.helpers.getBinaryStream(binary.id)
		: Readable.from([Buffer.from(binary.data, BINARY_ENCODING)]);
	return { content, fileName: binary.fileName };
}
