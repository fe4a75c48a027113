/**
 * Links from the site to the repository the course is published from (course.json's
 * `repository`): a page's source to edit, a new issue about the page, and a codespace to work in.
 * A course that names no repository gets none of them.
 */
import { toPosix } from '../../tooling/files';
import { LAYOUT, type Repository } from '../../tooling/course';
import { escapeHtml } from './html';

/** A page's links to its source: edit it on GitHub, or report a problem with it. */
export interface SourceLinks {
  edit: string;
  report: string;
}

/**
 * "Edit this page" (GitHub's editor on `file`, a path relative to the course's root, on the
 * repository's branch) and "Report a problem" (a new issue that names the page and its source).
 * `address` is where readers find the page: its URL when the site's address is known, else its path in the site.
 */
export function sourceLinks(repository: Repository, file: string, page: { title: string; address: string }): SourceLinks {
  const source = toPosix(file);
  const issue = new URLSearchParams({
    title: `${page.title}: `,
    body: `Page: ${page.address}\nSource: ${source}\n\nWhat is wrong, and where on the page:\n`,
  });
  return {
    edit: `${repository.url}/edit/${encodeURI(repository.branch)}/${encodeURI(source)}`,
    report: `${repository.url}/issues/new?${issue.toString()}`,
  };
}

/**
 * The address that opens the repository's branch in GitHub Codespaces with the course's dev
 * container (or resumes the reader's last codespace of it).
 */
export function codespaceLink(repository: Repository): string {
  const name = repository.url.replace(/^https:\/\/github\.com\//, '');
  const options = new URLSearchParams({ quickstart: '1', devcontainer_path: LAYOUT.devcontainer });
  return `https://codespaces.new/${name}/tree/${encodeURI(repository.branch)}?${options.toString()}`;
}

/** The link that opens the course in GitHub Codespaces (`href` from {@link codespaceLink}). */
export const codespaceAnchor = (href: string) => `<a class="launch" href="${escapeHtml(href)}">Open in GitHub Codespaces</a>`;
