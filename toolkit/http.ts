/**
 * The workbook's HTTP message server and client, used by the lessons.
 *
 * `startMessageServer` serves `POST /message` and refuses bad requests with clear 4xx answers;
 * `httpRequest` and `postJson` send requests with `fetch` and return every answer, errors included.
 *
 * (Notebooks import this file, `./toolkit/http`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './http/index';
