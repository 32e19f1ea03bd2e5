import { crc32, inflateSync } from 'zlib';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
const CHANNELS: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

/**
 * Decodes a PNG far enough to prove it is whole: signature, chunk CRCs, and image data that inflates to exactly the
 * size its header announces. Returns the image's size.
 */
export function decodePng(png: Buffer): { width: number; height: number } {
	if (!png.subarray(0, 8).equals(SIGNATURE)) throw new Error('not a PNG signature');
	let offset = 8;
	let header: { width: number; height: number; bitDepth: number; colorType: number } | undefined;
	const data: Buffer[] = [];
	for (;;) {
		const length = png.readUInt32BE(offset);
		const type = png.toString('latin1', offset + 4, offset + 8);
		const body = png.subarray(offset + 8, offset + 8 + length);
		if (crc32(png.subarray(offset + 4, offset + 8 + length)) !== png.readUInt32BE(offset + 8 + length)) throw new Error(`bad CRC in ${type}`);
		if (type === 'IHDR') header = { width: body.readUInt32BE(0), height: body.readUInt32BE(4), bitDepth: body[8], colorType: body[9] };
		if (type === 'IDAT') data.push(body);
		offset += 12 + length;
		if (type === 'IEND') break;
	}
	if (!header) throw new Error('no IHDR');
	const bytesPerRow = Math.ceil((header.width * header.bitDepth * CHANNELS[header.colorType]) / 8) + 1;
	const pixels = inflateSync(Buffer.concat(data));
	if (pixels.length !== bytesPerRow * header.height) throw new Error(`image data is ${pixels.length} bytes, not ${bytesPerRow * header.height}`);
	return { width: header.width, height: header.height };
}

