// Every page: on a narrow screen, the course's contents open as a drawer from the header's
// "Contents" button (without JavaScript, the header's "Contents" link leads to them after the page);
// printed, its closed disclosures open.
(function () {
  var root = document.documentElement;
  var NARROW = window.matchMedia('(max-width: 63.99rem)');

  function setUpDrawer() {
    var button = document.querySelector('.drawer-toggle');
    var drawer = document.getElementById('contents');
    if (!button || !drawer) return;
    var backdrop = document.createElement('div');
    backdrop.className = 'drawer-backdrop';
    document.body.appendChild(backdrop);

    function isOpen() {
      return button.getAttribute('aria-expanded') === 'true';
    }
    function close(returnFocus) {
      if (!isOpen()) return;
      button.setAttribute('aria-expanded', 'false');
      root.classList.remove('drawer-open');
      if (returnFocus) button.focus();
    }
    function open() {
      button.setAttribute('aria-expanded', 'true');
      root.classList.add('drawer-open');
      var current = drawer.querySelector('a[aria-current="page"]') || drawer.querySelector('a');
      if (current) {
        current.focus({ preventScroll: true });
        current.scrollIntoView({ block: 'center' });
      }
    }
    button.addEventListener('click', function () {
      if (isOpen()) close(true);
      else open();
    });
    backdrop.addEventListener('click', function () {
      close(true);
    });
    // A link in the drawer (a section of this page, say) leaves the drawer closed behind it.
    drawer.addEventListener('click', function (event) {
      if (event.target.closest && event.target.closest('a')) close(false);
    });
    document.addEventListener('keydown', function (event) {
      if (event.key === 'Escape' && isOpen()) {
        event.preventDefault();
        close(true);
      }
    });
    // Wide again: the contents are a sidebar, never a drawer left open.
    NARROW.addEventListener('change', function () {
      if (!NARROW.matches) close(false);
    });
  }

  // On paper, closed disclosures (starter files, answers) print open; they close again after.
  var opened = [];
  window.addEventListener('beforeprint', function () {
    opened = Array.prototype.slice.call(document.querySelectorAll('details:not([open])'));
    opened.forEach(function (details) {
      details.open = true;
    });
  });
  window.addEventListener('afterprint', function () {
    opened.forEach(function (details) {
      details.open = false;
    });
    opened = [];
  });

  document.addEventListener('DOMContentLoaded', setUpDrawer);
})();
