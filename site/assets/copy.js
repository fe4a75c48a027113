// A "Copy" button on every code block, added by script so that a page without JavaScript shows
// none; the code stays selectable either way.
(function () {
  var blocks = document.querySelectorAll('pre.shiki, pre.command');

  function copy(pre, button) {
    var done = function (label) {
      button.textContent = label;
      window.setTimeout(function () {
        button.textContent = 'Copy';
      }, 2000);
    };
    var clipboard = window.navigator.clipboard;
    if (!clipboard) return done('Select to copy');
    clipboard.writeText(pre.textContent).then(
      function () {
        done('Copied');
      },
      function () {
        done('Select to copy');
      },
    );
  }

  Array.prototype.forEach.call(blocks, function (pre) {
    var wrapper = document.createElement('div');
    wrapper.className = 'code-block';
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy';
    button.textContent = 'Copy';
    button.setAttribute('aria-live', 'polite');
    button.addEventListener('click', function () {
      copy(pre, button);
    });
    pre.parentNode.insertBefore(wrapper, pre);
    wrapper.appendChild(pre);
    wrapper.appendChild(button);
  });
})();
