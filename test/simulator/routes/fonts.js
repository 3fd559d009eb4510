'use strict';
/** fonts: see routes/index.js for the shape. */
module.exports = { jsonRoutes: {}, jobRoutes: {} };
