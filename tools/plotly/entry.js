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

// MapLibre comes in its own file (entry-maplibre.js): fetched (preloaded on the pages with maps) and run
// as soon as this file has run, and waited for by the first drawing, whatever the page.
var here = (document.currentScript && document.currentScript.src) || '/_dash-component-suites/plotly/package_data/plotly.min.js';
var maplibreUrl = here.replace(/plotly\.min\.js(\?.*)?$/, 'maplibre.min.js');
var maplibreReady = null;
function maplibre() {
    if (window.maplibregl) return null;
    if (!maplibreReady) {
        maplibreReady = new Promise(function (resolve, reject) {
            var script = document.createElement('script');
            script.src = maplibreUrl;
            script.async = true;
            script.onload = function () { resolve(); };
            script.onerror = function () {
                maplibreReady = null; // a later drawing tries again
                reject(new Error('MapLibre (' + maplibreUrl + ') did not load'));
            };
            document.head.appendChild(script);
        });
    }
    return maplibreReady;
}
maplibre();
['newPlot', 'react'].forEach(function (name) {
    var draw = Plotly[name];
    Plotly[name] = function () {
        var self = this;
        var args = arguments;
        var wait = maplibre();
        return wait ? wait.then(function () { return draw.apply(self, args); }) : draw.apply(self, args);
    };
});

module.exports = Plotly;
