/**
 * The workbook's HTTP message server and client, used by the lessons.
 *
 * `startMessageServer` serves `POST /message` and refuses bad requests with clear 4xx answers;
 * `httpRequest` and `postJson` send requests with `fetch` and return every answer, errors included.
 *
 * @module
 */
export {
  startMessageServer,
  closeServer,
  CORRELATION_HEADER,
  DEFAULT_MAX_BODY_BYTES,
  type MessageServer,
  type MessageServerOptions,
  type MessageContext,
  type OnMessage,
} from './server';
export { httpRequest, postJson, networkErrorCode, type HttpReply, type RequestOptions } from './client';
export { parseMessage, type InboundMessage, type ProcessedReply } from './message';
export { Rejection, STATUS_OF, type ErrorCode, type ErrorBody } from './errors';
export { readBody } from './body';
