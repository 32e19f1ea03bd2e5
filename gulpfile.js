const { src, dest } = require('gulp');

// tsc compiles the TypeScript; the icons and the node's codex (categories in n8n's node panel) are copied here.
function copyAssets() {
	return src(['nodes/**/*.{svg,png,json}', 'credentials/**/*.{svg,png}'], { base: '.', encoding: false }).pipe(dest('dist'));
}

exports['build:assets'] = copyAssets;
exports.default = copyAssets;
