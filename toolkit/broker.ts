/**
 * The message-broker interface (RabbitMQ or in-process); see ./broker/index.
 * This file lets notebooks write `import ... from './toolkit/broker'` (tslab resolves files, not folders).
 * @module
 */
export * from './broker/index';
