'use strict';
// plotly.js's map code, built without MapLibre: it reads MapLibre from window.maplibregl
// (maplibre-maillage.min.js), looked up when used, not when plotly.js is evaluated.
module.exports = new Proxy({}, {
    get: function (_, key) { return window.maplibregl[key]; },
    has: function (_, key) { return key in window.maplibregl; }
});
