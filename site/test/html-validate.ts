/**
 * html-validate over the built site: the course's pages against its recommended rules, all of
 * them; typedoc's pages against the same rules less four that typedoc's theme breaks in ways that
 * do not matter to a reader, each listed here with the reason.
 */
import path from 'node:path';
import { HtmlValidate, type ConfigData } from 'html-validate';

const COURSE: ConfigData = { extends: ['html-validate:recommended'] };

const API: ConfigData = {
  extends: ['html-validate:recommended'],
  rules: {
    // typedoc writes void elements XHTML-style (<meta/>, <br/>): HTML parses both forms the same.
    'void-style': 'off',
    // typedoc labels its breadcrumb list with aria-label: ARIA allows it, and screen readers announce it.
    'aria-label-misuse': 'off',
    // typedoc's search is the WAI-ARIA combobox pattern: its results are a listbox of links, which a <select> cannot be.
    'prefer-native-element': 'off',
    // The class hierarchy page has ids such as "netsim.Clock": valid HTML (an id may hold any character but a space), and typedoc's links point at them.
    'valid-id': 'off',
  },
};

/** The errors html-validate finds, per page (site-relative); pages without any are left out. */
export async function validatePages(outDir: string, pages: string[]): Promise<Record<string, string[]>> {
  const course = new HtmlValidate(COURSE);
  const api = new HtmlValidate(API);
  const found: Record<string, string[]> = {};
  for (const page of pages) {
    const report = await (page.startsWith('api/') ? api : course).validateFile(path.join(outDir, page));
    const errors = report.results.flatMap((result) => result.messages.filter((m) => m.severity === 2).map((m) => `${m.line}:${m.column} ${m.ruleId}: ${m.message}`));
    if (errors.length > 0) found[page] = errors;
  }
  return found;
}
