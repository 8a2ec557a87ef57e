/* Maillage's client-side callbacks (Dash ClientsideFunction, namespace "maillage").
   Each one runs in the browser, with no round trip to the server. */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.maillage = Object.assign(window.dash_clientside.maillage || {}, {
    // The grid, mounted in its slot from the kept description once the map is drawn
    // (maillage_dash/map/layout.py grid_spec, assets/25-grid-mount.js).
    mountGrid: function (go, spec) {
        if (!go || !spec) { return window.dash_clientside.no_update; }
        return spec;
    },
    // The grid's sort order, for the exports (they follow the order the table shows).
    gridSort: function (request) {
        if (!request || !Array.isArray(request.sortModel)) { return window.dash_clientside.no_update; }
        return request.sortModel;
    },
    /* The map page's "services near…" box opens the nearby page with the same filters. */
    openNearby: function (nSubmit, nClicks, value, store) {
        if (!(nSubmit || nClicks)) { return window.dash_clientside.no_update; }
        var place = (value || '').trim();
        var query = (store && store.query) || '?lang=fr';
        window.location.assign('/proximite' + query + (place ? '&pres=' + encodeURIComponent(place) : ''));
        return window.dash_clientside.no_update;
    },
    /* Navigation links keep the current filters and language. */
    navLinks: function (store) {
        var outs = window.dash_clientside.callback_context.outputs_list || [];
        var query = (store && store.query) || '';
        return outs.map(function (o) { return '/' + o.id.path + query; });
    },
    /* Phones: the filter panel folds and unfolds. */
    toggleFilters: function (n) {
        var box = document.getElementById('filters');
        var btn = document.getElementById('filters-toggle');
        if (!box || !n) { return window.dash_clientside.no_update; }
        var collapsed = box.classList.toggle('collapsed-sm');
        btn.setAttribute('aria-expanded', collapsed ? 'false' : 'true');
        return window.dash_clientside.no_update;
    },
    /* On every page: keep the address bar in step with the filters (no reload, no history spam; a
       page's own parameters such as a place or a year are kept), refresh the grid's server-side
       cache, and set the document's language and title. */
    syncAddress: function (store) {
        if (!store || !store.query) { return window.dash_clientside.no_update; }
        var FILTER_KEYS = ['lang', 'region', 'age', 'type', 'secteur', 'public', 'termines', 'q', 'service'];
        var params = new URLSearchParams(store.query);
        new URLSearchParams(window.location.search).forEach(function (value, key) {
            if (FILTER_KEYS.indexOf(key) < 0) { params.append(key, value); }
        });
        // A shared link to a service (?service=…) keeps saying which service it opened.
        if (store.service && typeof store.service === 'string') { params.set('service', store.service); }
        var search = '?' + params.toString();
        if (window.location.search !== search) {
            window.history.replaceState(null, '', window.location.pathname + search);
        }
        document.documentElement.lang = store.lang || 'fr';
        document.title = (store.title ? store.title + ' — ' : '') + 'Maillage';
        if (window.maillageFit) { window.maillageFit(store); }
        if (window.dash_ag_grid && window.dash_ag_grid.getApiAsync && document.getElementById('grid')) {
            window.dash_ag_grid.getApiAsync('grid').then(function (api) {
                if (api && api.purgeInfiniteCache) { api.purgeInfiniteCache(); }
            }).catch(function () {});
        }
        return search;
    },
    /* The map page's "copy the link of this view" button. */
    liveMap: function (figure) {
      if (window.maillageLiveMap) { window.maillageLiveMap(figure); }
      return window.dash_clientside.no_update;
    },
    shareLink: function (store) {
        if (!store || !store.query) { return window.dash_clientside.no_update; }
        return window.location.origin + window.location.pathname + store.query;
    },
    /* Print once the print area has been filled. */
    printWhenReady: function (ready) {
        if (ready) { setTimeout(function () { window.print(); }, 150); }
    },
    /* Coverage page: its own parameters (year other than the latest, measure other than the rate) in
       the address, beside the filters that syncAddress keeps. */
    coverageParams: function (store, year, measure, page) {
        if (!store || !store.query) { return window.dash_clientside.no_update; }
        var params = new URLSearchParams(window.location.search);
        if (year && page && String(year) !== String(page.latest)) { params.set('annee', year); } else { params.delete('annee'); }
        if (measure && measure !== 'rate') { params.set('mesure', measure); } else { params.delete('mesure'); }
        var search = '?' + params.toString();
        if (window.location.search !== search) { window.history.replaceState(null, '', window.location.pathname + search); }
        return window.dash_clientside.no_update;
    },
    /* Practice sheets: the address keeps the section anchor (#…) with the filters. */
    sheetAddress: function (store) {
        if (!store || !store.query) { return window.dash_clientside.no_update; }
        if (window.location.search !== store.query) {
            window.history.replaceState(null, '', window.location.pathname + store.query + window.location.hash);
        }
        document.documentElement.lang = store.lang || 'fr';
        document.title = (store.title ? store.title + ' — ' : '') + 'Maillage';
        return window.dash_clientside.no_update;
    },
    /* Practice sheets: scroll to the section named in the address once the Markdown is drawn. */
    scrollToHash: function () {
        var hash = window.location.hash;
        if (!hash || hash.length < 2) { return window.dash_clientside.no_update; }
        var id = decodeURIComponent(hash.slice(1));
        var tries = 0;
        (function attempt() {
            var el = document.getElementById(id);
            var ready = document.querySelector('#content-body .content-md > *');
            if (el && (ready || tries > 30)) {
                el.scrollIntoView();
                setTimeout(function () { el.scrollIntoView(); }, 250);
            } else if (tries++ < 40) {
                setTimeout(attempt, 100);
            }
        })();
        return window.dash_clientside.no_update;
    },
    /* Nearby: « Ma position » asks the browser (never sent anywhere but this server's answer). */
    locate: function (n) {
        if (!n) { return window.dash_clientside.no_update; }
        if (!navigator.geolocation) { return {error: 0}; }
        return new Promise(function (resolve) {
            navigator.geolocation.getCurrentPosition(
                function (pos) { var c = pos.coords; resolve({lat: c.latitude, lon: c.longitude, accuracy: c.accuracy}); },
                function (err) { resolve({error: err.code}); },
                {enableHighAccuracy: false, timeout: 15000, maximumAge: 600000}
            );
        });
    },
    /* Nearby: the address holds the place and radius; the language link keeps them. */
    nearbyAddress: function (s) {
        if (!s || !s.query) { return window.dash_clientside.no_update; }
        if (window.location.search !== s.query) {
            window.history.replaceState(null, '', window.location.pathname + s.query);
        }
        var params = new URLSearchParams(s.query);
        params.set('lang', params.get('lang') === 'en' ? 'fr' : 'en');
        return '?' + params.toString();
    },
    /* Nearby on a phone: « Modifier » unfolds the search form and puts the cursor in the place box. */
    nearbyUnfold: function (n, cls) {
        if (!n) { return window.dash_clientside.no_update; }
        setTimeout(function () {
            var box = document.getElementById('near-place');  // the dropdown's own button
            if (box && box.focus) { box.focus(); }
        }, 50);
        return (cls || '').replace(/\s*editing/g, '') + ' editing';
    },
    /* Nearby on a phone: the list or the map (both side by side on wide screens); a shown map redraws. */
    nearbyView: function (view, cls) {
        var base = (cls || '').replace(/\s*near-show-(list|map)/g, '');
        if (view === 'map') {
            setTimeout(function () { window.dispatchEvent(new Event('resize')); }, 60);
        }
        return base + (view === 'map' ? ' near-show-map' : ' near-show-list');
    },
    /* Region profile: the document's language and title. */
    profileTitle: function (store, title) {
        if (!store || !title) { return window.dash_clientside.no_update; }
        document.documentElement.lang = store.lang || 'fr';
        document.title = title + ' — Maillage';
        return window.dash_clientside.no_update;
    }
});
