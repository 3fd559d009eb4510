'use strict';
/**
 * Workspace data: seeded brands and media, presigned uploads, media created
 * through media/create, and the static files the simulator serves for them.
 */
const crypto = require('crypto');
const { designSettings } = require('./catalog');
const { sha256 } = require('./images');

const SEED_EPOCH = 1767225600; // 2026-01-01T00:00:00Z, keeps seeded data deterministic
const SEED_MEDIA_TYPES = ['photo', 'logo', 'screenshot', 'backdrop', 'inspiration'];
const INDUSTRIES = ['retail', 'food', 'technology', 'fashion', 'travel_hotel', 'education'];
const COLORS = ['#1a73e8', '#e8710a', '#188038', '#d93025', '#9334e6', '#12b5cb'];

const pad = (n, w) => String(n).padStart(w, '0');

class Store {
	constructor({ brands = 23, media = 12 } = {}) {
		this.origin = '';
		this.brands = [];
		this.media = [];
		this.uploads = new Map(); // token -> upload record
		this.staticFiles = new Map(); // file name -> { width, height, bytes?, contentType? }
		this.mediaSeq = 0;
		for (let i = 1; i <= brands; i++) this.brands.push(this.makeBrand(i));
		for (let i = 1; i <= media; i++) this.seedMedia(i);
	}

	setOrigin(origin) {
		this.origin = origin;
	}

	fileUrl(name) {
		return `${this.origin}/files/${name}`;
	}

	makeBrand(i) {
		const bId = i === 1 ? 'b_default0001' : `b_sim${pad(i, 8)}`;
		const logo = `brand-${bId}-logo.jpg`;
		this.staticFiles.set(logo, { width: 256, height: 256 });
		return {
			bId,
			isDefault: i === 1,
			archived: false,
			logoFile: logo,
			record: {
				bId,
				brandName: i === 1 ? 'Simulated Default Brand' : `Simulated Brand ${i}`,
				brandDescription: `Brand number ${i} of the Sivi simulator workspace.`,
				brandUrl: `https://brand${i}.example.com`,
				brandColors: [
					{ color: COLORS[i % COLORS.length], addedBy: 'user', primary: true },
					{ color: '#ffffff', addedBy: 'system', primary: false },
				],
				brandFonts: [],
				brandPersona: {
					industry: INDUSTRIES[i % INDUSTRIES.length],
					emotions: ['happy', 'trust'],
					audience: ['small business owners'],
					designTags: ['modern', 'clean'],
				},
				brandLogos: [],
				brandImages: [],
			},
		};
	}

	/** Brands brand/get lists and other endpoints accept: archived brands are left out. */
	activeBrands() {
		return this.brands.filter((b) => !b.archived);
	}

	findBrand(bId) {
		return this.activeBrands().find((b) => b.bId === bId);
	}

	brandExists(bId) {
		return this.findBrand(bId) !== undefined;
	}

	brandView(b) {
		return {
			...JSON.parse(JSON.stringify(b.record)),
			brandLogos: b.logoFile ? [this.fileUrl(b.logoFile)] : [],
		};
	}

	nextMId(type, ext) {
		this.mediaSeq++;
		return { seq: this.mediaSeq, mId: `w_sim----${type}_${pad(this.mediaSeq, 4)}.${ext}` };
	}

	seedMedia(i) {
		const type = SEED_MEDIA_TYPES[(i - 1) % SEED_MEDIA_TYPES.length];
		const { seq, mId } = this.nextMId(type, 'jpeg');
		const file = `media-${pad(seq, 4)}.jpg`;
		this.staticFiles.set(file, { width: 512, height: 512 });
		this.media.push(
			this.mediaRecord({
				mId,
				bId: i % 3 === 0 ? null : i % 3 === 1 ? 'b_default0001' : 'b_sim00000002',
				type,
				subType: designSettings.mediaTypes[type].subTypes[0],
				file,
				createdOn: SEED_EPOCH + i * 60,
			}),
		);
	}

	mediaRecord({
		mId,
		bId,
		type,
		subType,
		file,
		createdOn,
		touchPosition,
		imagePreference,
		hueRotations,
		sha,
	}) {
		return {
			mId,
			bId: bId || null,
			type,
			subType,
			system: 'USER',
			file,
			createdOn,
			sha256: sha || null,
			meta: {
				// What media/create leaves out stays unset (Sivi answers every key, as media/get does).
				touchPosition: {
					left: null,
					right: null,
					bottom: null,
					top: null,
					center: null,
					...touchPosition,
				},
				imagePreference: { crop: null, removeBg: null, enhancement: null, ...imagePreference },
				hueRotations: hueRotations || [],
				logoStyle: [],
			},
		};
	}

	mediaView(m) {
		return {
			mId: m.mId,
			bId: m.bId,
			type: m.type,
			subType: m.subType,
			system: m.system,
			url: this.fileUrl(m.file),
			createdOn: m.createdOn,
			meta: JSON.parse(JSON.stringify(m.meta)),
		};
	}

	/** A media record of this workspace that is not deleted (media/delete is a soft delete). */
	findMedia(mId) {
		return this.media.find((m) => m.mId === mId && !m.deleted);
	}

	/** Soft delete: the record stays (with deletedOn) but no list or lookup finds it. */
	deleteMedia(mId, now) {
		const m = this.findMedia(mId);
		if (!m) return false;
		m.deleted = true;
		m.deletedOn = Math.floor(now / 1000);
		return true;
	}

	createUpload({ type, extension, contentType, bId, expiresIn, now }) {
		const token = crypto.randomBytes(12).toString('hex');
		const fileName = `${token}.${extension}`;
		const upload = {
			token,
			type,
			extension,
			contentType,
			bId: bId || null,
			expiresAt: now + expiresIn * 1000,
			fileName,
			bytes: null,
			sha256: null,
		};
		this.uploads.set(token, upload);
		return upload;
	}

	putUpload(token, bytes) {
		const u = this.uploads.get(token);
		u.bytes = bytes;
		u.sha256 = sha256(bytes);
		this.staticFiles.set(`upload-${u.fileName}`, { bytes, contentType: u.contentType });
	}

	createMedia({
		type,
		subType,
		bId,
		url,
		upload,
		touchPosition,
		imagePreference,
		hueRotations,
		now,
	}) {
		const ext = upload
			? upload.extension
			: (/\.(jpe?g|png|svg|webp)(?:$|\?)/i.exec(url || '') || [null, 'jpeg'])[1].toLowerCase();
		const { seq, mId } = this.nextMId(type, ext);
		let file;
		if (upload) {
			file = `upload-${upload.fileName}`;
		} else {
			file = `media-${pad(seq, 4)}.jpg`;
			this.staticFiles.set(file, { width: 512, height: 512 });
		}
		const rec = this.mediaRecord({
			mId,
			bId,
			type,
			subType,
			file,
			createdOn: Math.floor(now / 1000),
			touchPosition,
			imagePreference,
			hueRotations,
			sha: upload ? upload.sha256 : null,
		});
		rec.source = upload ? { uploadUrl: upload.token, bytes: upload.bytes.length } : { url };
		this.media.push(rec);
		return rec;
	}

	/** Internal records (incl. sha256 of uploaded bytes) for tests. */
	mediaRecords() {
		return this.media.map((m) => ({ ...JSON.parse(JSON.stringify(m)), url: this.fileUrl(m.file) }));
	}
}

/** Opaque pagination cursor helpers. */
function encodeCursor(offset) {
	return Buffer.from(`sim:${offset}`).toString('base64url');
}
function decodeCursor(cursor) {
	const m = /^sim:(\d+)$/.exec(Buffer.from(String(cursor), 'base64url').toString('utf8'));
	return m ? Number(m[1]) : null;
}
function paginate(items, limit, cursor) {
	const offset = cursor === undefined || cursor === null ? 0 : decodeCursor(cursor);
	const page = items.slice(offset, offset + limit);
	const next = offset + limit < items.length ? encodeCursor(offset + limit) : null;
	return { page, cursor: next };
}

module.exports = { Store, paginate, decodeCursor };
