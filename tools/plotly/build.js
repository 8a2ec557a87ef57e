// Builds ../../maillage_dash/site/static/plotly-maillage.min.js with plotly.js's own esbuild settings
// (esbuild-config.js of the plotly.js package), minus the WebGL plugin that none of these traces needs.
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const out = path.join(__dirname, '..', '..', 'maillage_dash', 'site', 'static', 'plotly-maillage.min.js');
const version = require('plotly.js/package.json').version;

esbuild
    .build({
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: out,
        format: 'iife',
        globalName: 'Plotly',
        bundle: true,
        minify: true,
        sourcemap: false,
        legalComments: 'external',
        banner: { js: `/*! plotly.js v${version} (Maillage partial bundle: scatter, scattermap, choroplethmap, bar, heatmap) | (c) Plotly, Inc. | MIT License | see plotly-maillage.LICENSE.txt */` },
        plugins: [InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })],
        alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
        define: { global: 'window', 'define.amd': 'false' },
        target: 'es2016',
        logLevel: 'info'
    })
    .then(() => {
        fs.copyFileSync(require.resolve('plotly.js/LICENSE'), out.replace(/\.min\.js$/, '.LICENSE.txt'));
    })
    .catch(() => process.exit(1));
