'use strict';
// MapLibre GL JS, the map library inside plotly.js's map traces, as its own file
// (maillage_dash/site/static/maplibre-maillage.min.js): plotly.js is then ~1.4 MB instead of 3.0 MB, and
// both are under 500 KB on the wire. plotly-maillage.min.js finds it as window.maplibregl (shims/).
var maplibregl = require('maplibre-gl/dist/maplibre-gl.mjs');
var workerSource = require('plotly.js/build/maplibre_worker');

window.maplibregl = maplibregl;
window.__maillageMaplibreWorker = workerSource;
// Start the map's worker now (its ~0.5 MB of code is parsed off the main thread) rather than when the
// first map is drawn.
maplibregl.setWorkerUrl(URL.createObjectURL(new Blob([workerSource], { type: 'text/javascript' })));
maplibregl.prewarm();
