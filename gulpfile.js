const { src, dest } = require('gulp');

// tsc compiles the TypeScript; the icons (and any other non-TS asset next to a node or credential) are copied here.
function copyAssets() {
	return src(['nodes/**/*.{svg,png}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
exports.default = copyAssets;
