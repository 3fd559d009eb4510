'use strict';
/**
 * Deterministic, valid baseline JPEG bytes (solid grey, real width/height),
 * different for every file name: the grey level is derived from the name and
 * the name itself is embedded in a COM segment.
 */
const crypto = require('crypto');

function segment(marker, payload) {
	const len = payload.length + 2;
	return Buffer.concat([Buffer.from([0xff, marker, (len >> 8) & 0xff, len & 0xff]), payload]);
}

// Standard luminance DC table (JPEG Annex K.3).
const DC_COUNTS = [0, 1, 5, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0];
const DC_VALUES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];
// Minimal AC table: the only symbol needed is EOB (0x00), code '0'.
const AC_COUNTS = [1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
const AC_VALUES = [0];

function canonicalCodes(counts, values) {
	const codes = {};
	let code = 0;
	let k = 0;
	for (let len = 1; len <= 16; len++) {
		for (let i = 0; i < counts[len - 1]; i++) {
			codes[values[k++]] = { code, len };
			code++;
		}
		code <<= 1;
	}
	return codes;
}
const DC_CODES = canonicalCodes(DC_COUNTS, DC_VALUES);
const EOB = canonicalCodes(AC_COUNTS, AC_VALUES)[0];

class BitWriter {
	constructor() {
		this.bytes = [];
		this.acc = 0;
		this.n = 0;
	}
	write(value, len) {
		for (let i = len - 1; i >= 0; i--) {
			this.acc = (this.acc << 1) | ((value >> i) & 1);
			this.n++;
			if (this.n === 8) this.flushByte();
		}
	}
	flushByte() {
		this.bytes.push(this.acc);
		if (this.acc === 0xff) this.bytes.push(0x00);
		this.acc = 0;
		this.n = 0;
	}
	finish() {
		while (this.n !== 0) this.write(1, 1);
		return Buffer.from(this.bytes);
	}
}

function category(v) {
	let a = Math.abs(v);
	let c = 0;
	while (a > 0) {
		c++;
		a >>= 1;
	}
	return c;
}

/** Encode a solid grey JPEG of width x height with the given comment. */
function encodeSolidJpeg(width, height, grey, comment) {
	const w = Math.max(1, Math.min(65535, Math.round(width)));
	const h = Math.max(1, Math.min(65535, Math.round(height)));
	const parts = [Buffer.from([0xff, 0xd8])];
	parts.push(segment(0xe0, Buffer.from([0x4a, 0x46, 0x49, 0x46, 0x00, 1, 1, 0, 0, 1, 0, 1, 0, 0])));
	const com = Buffer.from(String(comment), 'utf8').subarray(0, 60000);
	parts.push(segment(0xfe, com));
	parts.push(segment(0xdb, Buffer.concat([Buffer.from([0x00]), Buffer.alloc(64, 1)])));
	parts.push(segment(0xc0, Buffer.from([8, h >> 8, h & 0xff, w >> 8, w & 0xff, 1, 1, 0x11, 0])));
	parts.push(segment(0xc4, Buffer.from([0x00, ...DC_COUNTS, ...DC_VALUES])));
	parts.push(segment(0xc4, Buffer.from([0x10, ...AC_COUNTS, ...AC_VALUES])));
	parts.push(segment(0xda, Buffer.from([1, 1, 0x00, 0, 63, 0])));
	const bw = new BitWriter();
	const blocks = Math.ceil(w / 8) * Math.ceil(h / 8);
	const dc = (Math.max(0, Math.min(255, grey)) - 128) * 8; // quantiser 1, DC = 8 * mean level
	for (let b = 0; b < blocks; b++) {
		const diff = b === 0 ? dc : 0;
		const cat = category(diff);
		const hc = DC_CODES[cat];
		bw.write(hc.code, hc.len);
		if (cat > 0) bw.write(diff > 0 ? diff : diff + (1 << cat) - 1, cat);
		bw.write(EOB.code, EOB.len);
	}
	parts.push(bw.finish());
	parts.push(Buffer.from([0xff, 0xd9]));
	return Buffer.concat(parts);
}

const cache = new Map();
const CACHE_MAX = 256;

/** Deterministic JPEG for a file name (same name + size => same bytes). */
function jpegForName(name, width = 64, height = 64) {
	const key = `${name}|${width}x${height}`;
	const hit = cache.get(key);
	if (hit) return hit;
	const grey = 32 + (crypto.createHash('sha256').update(name).digest()[0] % 192);
	const bytes = encodeSolidJpeg(width, height, grey, `sivi-simulator ${name} ${width}x${height}`);
	if (cache.size >= CACHE_MAX) cache.delete(cache.keys().next().value);
	cache.set(key, bytes);
	return bytes;
}

function sha256(buf) {
	return crypto.createHash('sha256').update(buf).digest('hex');
}

module.exports = { encodeSolidJpeg, jpegForName, sha256 };
