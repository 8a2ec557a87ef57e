/* French labels for the map's toolbar (plotly.js ships none offline). Our own translations.
   Handed to plotly.js through window.PlotlyLocales, which it reads as it loads: a later check (every
   200 ms) left graphs drawn at once with an English toolbar on French pages, and one that found the
   early loader's stand-in (assets/06-plotly-early.js) never registered the labels at all. */
(function () {
  var LOCALE = {
    moduleType: 'locale',
    name: 'fr',
    dictionary: {
      'Zoom in': 'Zoom avant',
      'Zoom out': 'Zoom arrière',
      'Reset view': 'Revenir à la vue initiale',
      'Pan': 'Déplacer',
      'Zoom': 'Zoom',
      'Download plot as a PNG': 'Télécharger la carte en PNG',
      'Download plot': 'Télécharger la carte',
      'Produced with Plotly.js': 'Réalisé avec Plotly.js',
      'Toggle Spike Lines': 'Afficher les lignes de repère',
      'Autoscale': 'Échelle automatique',
      'Reset axes': 'Réinitialiser les axes',
      'Taking snapshot - this may take a few seconds': 'Capture en cours…',
      'Snapshot succeeded': 'Capture réussie',
      'Sorry, there was a problem downloading your snapshot!': 'Désolé, la capture a échoué.',
      'Click to enter Colorscale title': 'Titre de l\u2019échelle',
      'Double-click on legend to isolate one trace': 'Double-cliquez sur la légende pour isoler une série',
      'Single-click on legend to change visibility': 'Cliquez sur la légende pour masquer ou afficher'
    },
    format: { decimal: ',', thousands: '\u202f' }
  };
  // plotly.js registers the locales of window.PlotlyLocales when its script runs, before any graph is
  // drawn; if it has already run (a page reached without reloading), register now.
  if (window.Plotly && window.Plotly.register) {
    window.Plotly.register(LOCALE);
  } else {
    (window.PlotlyLocales = window.PlotlyLocales || []).push(LOCALE);
  }
})();
