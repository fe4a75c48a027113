// Puppeteer (used by mermaid-cli to render diagrams) must not download a browser of its own:
// it uses the system's Chromium. Set PUPPETEER_EXECUTABLE_PATH to use another browser.
module.exports = {
  skipDownload: true,
  executablePath: process.env.PUPPETEER_EXECUTABLE_PATH || '/usr/bin/chromium',
};
