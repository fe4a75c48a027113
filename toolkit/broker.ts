/**
 * A small message-broker interface with two implementations: RabbitMQ (through amqplib) and an
 * in-process broker with the same semantics, so lesson 09 runs with or without a real broker.
 *
 * (Notebooks import this file, `./toolkit/broker`: tslab resolves a module path to a file,
 * not to a folder's index.)
 *
 * @module
 */
export * from './broker/index';
