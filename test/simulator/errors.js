'use strict';
/** An API error answered as the envelope { status, body: { message } }. */
class ApiError extends Error {
	constructor(status, message, headers = {}) {
		super(message);
		this.status = status;
		this.headers = headers;
	}
}

const MESSAGES = {
	auth: 'Failed to authenticate request. Please add sivi-api-key header in request',
	rate: 'Rate limit exceeded. Please try again later.',
	queue: 'Queue limit exceeded. Please try again later.',
	creditDesign: 'Not enough credits to complete the transaction',
	creditMedia: 'Insufficient credit limit',
	server: 'Server internal error',
	notFound: 'Not found',
	requestNotFound: 'Request not found',
	brandNotFound: 'Brand not found in workspace',
	invalidInput: 'Invalid input',
	uploadMissing: 'Uploaded file not found in S3. Please upload the file before creating media.',
};

module.exports = { ApiError, MESSAGES };
