'use strict';
// Maillage's plotly.js: the core (with scatter, used by the network graph) and the trace types the
// dashboard draws. Same version as the plotly.js that plotly.py ships (plotly/package_data/plotly.min.js).
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/scattermap'), // map markers, labels, radius circles
    require('plotly.js/lib/choroplethmap'), // regions
    require('plotly.js/lib/bar'), // coverage and profile bars
    require('plotly.js/lib/heatmap') // coverage matrix
]);

module.exports = Plotly;
