'use strict';
/** design: see routes/index.js for the shape. */
module.exports = { jsonRoutes: {}, jobRoutes: {} };
