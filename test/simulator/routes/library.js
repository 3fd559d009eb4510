'use strict';
/** library: see routes/index.js for the shape. */
module.exports = { jsonRoutes: {}, jobRoutes: {} };
