// Pages with diagrams: a diagram too wide for its frame (it keeps a legible size and scrolls
// sideways) gets a line under it that says so, with a button that opens it full-screen in a
// <dialog>; a click or tap on the diagram does the same. The diagram's SVG moves into the dialog
// and back, so its ids stay unique on the page.
(function () {
  var figures = Array.prototype.slice.call(document.querySelectorAll('figure.diagram'));
  if (figures.length === 0 || typeof HTMLDialogElement === 'undefined') return;

  var dialog = document.createElement('dialog');
  dialog.className = 'diagram-dialog';
  var bar = document.createElement('div');
  bar.className = 'dialog-bar';
  var title = document.createElement('p');
  title.className = 'dialog-title';
  title.id = 'diagram-dialog-title';
  var closeButton = document.createElement('button');
  closeButton.type = 'button';
  closeButton.textContent = 'Close';
  var body = document.createElement('div');
  body.className = 'dialog-body';
  body.tabIndex = 0;
  bar.append(title, closeButton);
  dialog.append(bar, body);
  dialog.setAttribute('aria-labelledby', title.id);
  document.body.appendChild(dialog);
  var shown = null;

  function nameOf(figure) {
    var svg = figure.querySelector('svg');
    if (!svg) return 'Diagram';
    var labelledBy = svg.getAttribute('aria-labelledby');
    var label = labelledBy && document.getElementById(labelledBy.split(' ')[0]);
    return (label && label.textContent.trim()) || svg.getAttribute('aria-label') || 'Diagram';
  }

  function open(figure) {
    shown = figure;
    title.textContent = nameOf(figure);
    Array.prototype.slice.call(figure.querySelectorAll(':scope > svg')).forEach(function (svg) {
      var width = svg.viewBox && svg.viewBox.baseVal ? svg.viewBox.baseVal.width : 0;
      if (width) svg.style.width = Math.round(width) + 'px';
      body.appendChild(svg);
    });
    dialog.showModal();
    body.focus();
  }

  dialog.addEventListener('close', function () {
    if (!shown) return;
    Array.prototype.slice.call(body.querySelectorAll(':scope > svg')).forEach(function (svg) {
      svg.style.width = '';
      shown.appendChild(svg);
    });
    var cue = shown.nextElementSibling;
    var button = cue && cue.classList.contains('diagram-cue') ? cue.querySelector('button') : null;
    (button || shown).focus();
    shown = null;
  });
  closeButton.addEventListener('click', function () {
    dialog.close();
  });

  function cueFor(figure) {
    var cue = document.createElement('p');
    cue.className = 'diagram-cue';
    cue.hidden = true;
    var text = document.createElement('span');
    text.textContent = '↔ Wider than the page: scroll it sideways, or';
    var button = document.createElement('button');
    button.type = 'button';
    button.textContent = 'Open full-screen';
    button.setAttribute('aria-label', 'Open full-screen: ' + nameOf(figure));
    button.addEventListener('click', function () {
      open(figure);
    });
    cue.append(text, button);
    figure.after(cue);
    return cue;
  }

  figures.forEach(function (figure) {
    var cue = cueFor(figure);
    var check = function () {
      if (figure.querySelector(':scope > svg') === null) return;
      var overflows = figure.scrollWidth > figure.clientWidth + 1;
      figure.classList.toggle('overflows', overflows);
      cue.hidden = !overflows;
    };
    figure.addEventListener('click', function () {
      if (figure.classList.contains('overflows')) open(figure);
    });
    if (window.ResizeObserver) new window.ResizeObserver(check).observe(figure);
    check();
  });
})();
