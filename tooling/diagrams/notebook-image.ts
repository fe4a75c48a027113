/**
 * A rendered diagram as notebooks show it, in a code cell's output or as a markdown cell's
 * attachment: Jupyter (Notebook 6.4 and JupyterLab), VS Code and GitHub's viewer all show an SVG,
 * where a mermaid block would be raw text in most of them.
 */
import { sha256 } from '../cache';

/** The short hash of a diagram's source that its notebook image carries, so that a stale image is found without drawing it again. */
export function sourceHash(code: string): string {
  return sha256(code.trim()).slice(0, 16);
}

/** The source hash an image carries, or undefined. */
export function imageSourceHash(svg: string): string | undefined {
  return /^<svg[^>]*\sdata-mermaid-source="([0-9a-f]+)"/.exec(svg)?.[1];
}

/**
 * The light rendering of `code` made fit for a notebook: on white (a dark editor theme would
 * otherwise draw mermaid's dark text on dark), at its natural size (an <img> of mermaid's
 * `width="100%"` SVG has none) yet never wider than the cell, and tagged with its source hash.
 * `svg` is the light SVG that `DiagramRenderer.svgs` hands out.
 */
export function notebookSvg(svg: string, code: string): string {
  const root = /^<svg[^>]*>/.exec(svg)?.[0];
  if (root === undefined) throw new Error('not an SVG');
  const [, , width, height] = (/\sviewBox="([^"]*)"/.exec(root)?.[1] ?? '').split(/[\s,]+/).map(Number);
  if (!(width > 0 && height > 0)) throw new Error('an SVG without a usable viewBox');
  const attributes = root
    .replace(/\swidth="[^"]*"|\sheight="[^"]*"|\sstyle="[^"]*"|\sdata-mermaid-source="[^"]*"/g, '')
    .replace(/^<svg/, `<svg width="${width}" height="${height}" style="max-width: 100%; height: auto; background-color: white;" data-mermaid-source="${sourceHash(code)}"`);
  return attributes + svg.slice(root.length);
}
