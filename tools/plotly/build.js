// Builds, with plotly.js's own esbuild settings (esbuild-config.js of the plotly.js package) minus the
// WebGL plugin that none of these traces needs:
//   ../../maillage_dash/site/static/plotly-maillage.min.js    plotly.js, five trace types, without MapLibre
//   ../../maillage_dash/site/static/maplibre-maillage.min.js  MapLibre GL JS and its worker, as window.maplibregl
const fs = require('fs');
const path = require('path');
const esbuild = require('esbuild');
const { environmentPlugin } = require('esbuild-plugin-environment');
const InlineCSSPlugin = require('esbuild-plugin-inline-css');

const dir = path.join(__dirname, '..', '..', 'maillage_dash', 'site', 'static');
const version = require('plotly.js/package.json').version;
const maplibreVersion = require('maplibre-gl/package.json').version;

// In plotly.js's build, MapLibre and its worker's source are read from the other file.
const outsidePlotly = {
    name: 'maplibre-outside',
    setup(build) {
        build.onResolve({ filter: /^maplibre-gl\/dist\/maplibre-gl\.mjs$/ }, () => ({ path: path.join(__dirname, 'shims', 'maplibre-gl.js') }));
        build.onResolve({ filter: /build\/maplibre_worker$/ }, () => ({ path: path.join(__dirname, 'shims', 'maplibre-worker.js') }));
    }
};

const common = {
    bundle: true,
    minify: true,
    sourcemap: false,
    legalComments: 'external',
    alias: { regl: '@plotly/regl', stream: 'stream-browserify' },
    define: { global: 'window', 'define.amd': 'false' },
    target: 'es2016',
    logLevel: 'info'
};

Promise.all([
    esbuild.build({
        ...common,
        entryPoints: [path.join(__dirname, 'entry.js')],
        outfile: path.join(dir, 'plotly-maillage.min.js'),
        format: 'iife',
        globalName: 'Plotly',
        banner: { js: `/*! plotly.js v${version} (Maillage partial bundle: scatter, scattermap, choroplethmap, bar, heatmap; MapLibre in maplibre-maillage.min.js) | (c) Plotly, Inc. | MIT License | see plotly-maillage.LICENSE.txt */` },
        plugins: [outsidePlotly, InlineCSSPlugin(), environmentPlugin({ NODE_DEBUG: false })]
    }),
    esbuild.build({
        ...common,
        entryPoints: [path.join(__dirname, 'entry-maplibre.js')],
        outfile: path.join(dir, 'maplibre-maillage.min.js'),
        format: 'iife',
        banner: { js: `/*! MapLibre GL JS v${maplibreVersion} and its worker, as bundled by plotly.js v${version} | BSD-3-Clause | see maplibre-maillage.LICENSE.txt */` },
        plugins: [environmentPlugin({ NODE_DEBUG: false })]
    })
])
    .then(() => {
        fs.copyFileSync(require.resolve('plotly.js/LICENSE'), path.join(dir, 'plotly-maillage.LICENSE.txt'));
        fs.copyFileSync(path.join(path.dirname(require.resolve('maplibre-gl/package.json')), 'LICENSE.txt'), path.join(dir, 'maplibre-maillage.LICENSE.txt'));
    })
    .catch((e) => { console.error(e); process.exit(1); });
