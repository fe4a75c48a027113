// Light or dark: the reader's choice if they made one on this site, else their system's.
// Loaded in <head> so that the page is painted in the right theme from the start.
(function () {
  var root = document.documentElement;
  var saved = null;
  try {
    saved = localStorage.getItem('theme');
  } catch (e) {
    // Storage can be off (privacy settings, file:// pages): the system theme still applies.
  }
  if (saved === 'light' || saved === 'dark') root.setAttribute('data-theme', saved);
  root.classList.add('js');

  function isDark() {
    // The API reference marks "no choice" as data-theme="os".
    var chosen = root.getAttribute('data-theme');
    if (chosen === 'light' || chosen === 'dark') return chosen === 'dark';
    return window.matchMedia('(prefers-color-scheme: dark)').matches;
  }

  document.addEventListener('DOMContentLoaded', function () {
    var button = document.querySelector('.theme-toggle');
    if (!button) return;
    var sync = function () {
      button.setAttribute('aria-pressed', String(isDark()));
    };
    sync();
    button.addEventListener('click', function () {
      var theme = isDark() ? 'light' : 'dark';
      root.setAttribute('data-theme', theme);
      try {
        localStorage.setItem('theme', theme);
      } catch (e) {
        // Not remembered, but applied.
      }
      sync();
    });
  });
})();
