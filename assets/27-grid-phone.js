/* The services table on a phone: the columns a worker reads first (name, ages, town, status) come first,
   instead of the organisation and the types, so that they show without scrolling sideways. The same
   columns as on a desktop, in another order; the order is not kept in the address. */
(function () {
  var FIRST = ['nom', 'ages', 'municipalite', 'statut'];
  var done = null;
  function arrange() {
    var grid = document.getElementById('grid');
    if (!grid || grid === done || !window.dash_ag_grid || !window.dash_ag_grid.getApiAsync) { return; }
    if (!window.matchMedia('(max-width: 575.98px)').matches) { return; }
    done = grid;
    window.dash_ag_grid.getApiAsync('grid').then(function (api) {
      if (!api || !api.getColumnState) { return; }
      var state = api.getColumnState();
      var ids = state.map(function (c) { return c.colId; });
      var order = FIRST.filter(function (id) { return ids.indexOf(id) >= 0; })
        .concat(ids.filter(function (id) { return FIRST.indexOf(id) < 0; }));
      api.applyColumnState({
        state: order.map(function (id) { return id === 'nom' ? { colId: id, width: 170, flex: null } : { colId: id }; }),
        applyOrder: true
      });
    }).catch(function () { done = null; });
  }
  window.setInterval(arrange, 700);
})();
