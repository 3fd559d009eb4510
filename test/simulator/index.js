'use strict';
/** Local stand-in for the Sivi API (see index.d.ts for the public API). */
const { startSimulator, DEFAULT_OPTIONS } = require('./server');
const { jpegForName, sha256 } = require('./images');
const { startWebhookReceiver } = require('./webhooks');
const signals = require('./signals');

module.exports = {
	startSimulator,
	DEFAULT_OPTIONS,
	jpegForName,
	sha256,
	startWebhookReceiver,
	signals,
};
