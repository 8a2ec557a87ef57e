/* Bulk import (/revision/import): send the file with a progress bar (XMLHttpRequest's upload events),
   then say the file is being read and checked. Without JavaScript the form is sent the usual way. */
(function () {
  var form = document.getElementById('upload-form');
  if (!form || !window.FormData || !window.XMLHttpRequest) { return; }
  form.addEventListener('submit', function (event) {
    var box = document.getElementById('upload-progress-box');
    var bar = document.getElementById('upload-progress');
    var label = document.getElementById('upload-progress-label');
    if (!box || !bar) { return; }
    event.preventDefault();
    box.hidden = false;
    var xhr = new XMLHttpRequest();
    xhr.open('POST', form.getAttribute('action'));
    xhr.upload.addEventListener('progress', function (e) {
      if (e.lengthComputable) { bar.value = Math.round(100 * e.loaded / e.total); }
    });
    xhr.upload.addEventListener('load', function () {
      bar.removeAttribute('value');  // indeterminate while the server reads and checks every row
      if (label) { label.textContent = bar.getAttribute('data-reading'); }
    });
    xhr.addEventListener('load', function () {
      if (xhr.responseURL && xhr.responseURL !== window.location.href && xhr.status < 400) {
        window.location.assign(xhr.responseURL);
      } else {
        document.open(); document.write(xhr.responseText); document.close();
      }
    });
    xhr.addEventListener('error', function () { form.submit(); });
    xhr.send(new FormData(form));
  });
})();
