/* Maillage's client-side callbacks (Dash ClientsideFunction, namespace "maillage").
   Each one runs in the browser, with no round trip to the server. */
window.dash_clientside = window.dash_clientside || {};
window.dash_clientside.maillage = Object.assign(window.dash_clientside.maillage || {}, {
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
    shareLink: function (store) {
        if (!store || !store.query) { return window.dash_clientside.no_update; }
        return window.location.origin + window.location.pathname + store.query;
    },
    /* Print once the print area has been filled. */
    printWhenReady: function (ready) {
        if (ready) { setTimeout(function () { window.print(); }, 150); }
    }
});
