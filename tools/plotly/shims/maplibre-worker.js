'use strict';
// The map worker's source, kept in maplibre-maillage.min.js; plotly.js turns it into a Blob, which reads
// it through toString() when the first map is drawn.
module.exports = { toString: function () { return window.__maillageMaplibreWorker; } };
