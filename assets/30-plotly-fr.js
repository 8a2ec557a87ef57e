/* French labels for the map's toolbar (plotly.js ships none offline). Our own translations. */
(function register() {
  if (!window.Plotly || !window.Plotly.register) { setTimeout(register, 200); return; }
  window.Plotly.register({
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
  });
})();
