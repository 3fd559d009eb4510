// Copies the static files tsc does not emit (icons) into dist/, keeping their relative paths,
// so `file:` icon references in the compiled node and credential resolve.
const { src, dest } = require('gulp');

function buildStatic() {
	return src(['icons/**/*.{png,svg}', 'nodes/**/*.{png,svg}', 'credentials/**/*.{png,svg}'], {
		base: '.',
		encoding: false,
	}).pipe(dest('dist'));
}

exports['build:static'] = buildStatic;
