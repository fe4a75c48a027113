// Every page: on a narrow screen, the course's contents open as a drawer from the header's
// "Contents" button, the page behind it inert while it is open, so that focus stays in it (without
// JavaScript, the header's "Contents" link leads to them after the page);
// printed, its closed disclosures open. Keys: "/", "s" or Ctrl+K search, ← and → go to the previous
// and next page, "?" lists them.
(function () {
  var root = document.documentElement;
  var NARROW = window.matchMedia('(max-width: 63.99rem)');
  /** Closes the contents drawer, once there is one. */
  var closeDrawer = function () {};

  function setUpDrawer() {
    var button = document.querySelector('.drawer-toggle');
    var drawer = document.getElementById('contents');
    if (!button || !drawer) return;
    var backdrop = document.createElement('div');
    backdrop.className = 'drawer-backdrop';
    document.body.appendChild(backdrop);
    // What the open drawer covers: neither Tab nor a screen reader reaches it until the drawer closes.
    var behind = Array.prototype.slice.call(document.querySelectorAll('.skip-link, .site-header, .content, .site-footer'));
    function setBehind(inert) {
      behind.forEach(function (element) {
        element.inert = inert;
      });
    }

    function isOpen() {
      return button.getAttribute('aria-expanded') === 'true';
    }
    function close(returnFocus) {
      if (!isOpen()) return;
      button.setAttribute('aria-expanded', 'false');
      root.classList.remove('drawer-open');
      setBehind(false);
      if (returnFocus) button.focus();
    }
    closeDrawer = function () {
      close(false);
    };
    function open() {
      button.setAttribute('aria-expanded', 'true');
      root.classList.add('drawer-open');
      setBehind(true);
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

  var KEYS = [
    ['/', 'Search the course'],
    ['s', 'Search the course'],
    ['Ctrl+K', 'Search the course'],
    ['←', 'Previous page'],
    ['→', 'Next page'],
    ['?', 'Show these keys'],
    ['Esc', 'Close the contents, a diagram or this list'],
  ];
  var keysDialog = null;

  function showKeys() {
    if (!keysDialog) {
      keysDialog = document.createElement('dialog');
      keysDialog.className = 'keys-dialog';
      keysDialog.setAttribute('aria-labelledby', 'keys-title');
      var title = document.createElement('h2');
      title.id = 'keys-title';
      title.textContent = 'Keyboard shortcuts';
      var list = document.createElement('dl');
      KEYS.forEach(function (entry) {
        var key = document.createElement('dt');
        var kbd = document.createElement('kbd');
        kbd.textContent = entry[0];
        key.appendChild(kbd);
        var what = document.createElement('dd');
        what.textContent = entry[1];
        list.append(key, what);
      });
      var close = document.createElement('button');
      close.type = 'button';
      close.textContent = 'Close';
      close.addEventListener('click', function () {
        keysDialog.close();
      });
      keysDialog.append(title, list, close);
      document.body.appendChild(keysDialog);
    }
    keysDialog.showModal();
  }

  /** Where the keys must not act: typing in a field, or in something that scrolls with the arrows (a diagram, a code block, a table). */
  function busy(target) {
    if (!target || !target.closest) return false;
    if (target.isContentEditable || target.closest('input, textarea, select')) return true;
    return target.getAttribute('tabindex') === '0';
  }

  function go(rel) {
    var link = document.querySelector('a[rel="' + rel + '"]');
    if (link) window.location.href = link.href;
  }

  function focusSearch() {
    var field = document.getElementById('search-query') || document.getElementById('site-search-query');
    if (!field) return false;
    closeDrawer();
    field.focus();
    field.select();
    return true;
  }

  document.addEventListener('keydown', function (event) {
    if (event.defaultPrevented || event.isComposing || document.querySelector('dialog[open]')) return;
    var command = event.ctrlKey || event.metaKey;
    if (command && !event.altKey && (event.key === 'k' || event.key === 'K')) {
      if (focusSearch()) event.preventDefault();
      return;
    }
    if (command || event.altKey || busy(event.target)) return;
    var handled = true;
    if (event.key === '/' || event.key === 's') handled = focusSearch();
    else if (event.key === '?') showKeys();
    else if (event.key === 'ArrowLeft' && !event.shiftKey) go('prev');
    else if (event.key === 'ArrowRight' && !event.shiftKey) go('next');
    else handled = false;
    if (handled) event.preventDefault();
  });

  document.addEventListener('DOMContentLoaded', setUpDrawer);
})();
