/**
 * A small message-broker interface with two implementations: RabbitMQ (through amqplib) and an
 * in-process broker with the same semantics, so lesson 09 runs with or without a real broker.
 *
 * @module
 */
export type {
  BrokerConnection,
  ConnectOptions,
  ConsumeOptions,
  DeadLetterInfo,
  Consumer,
  Delivery,
  DeliveryHandler,
  MessageBroker,
  MessageProperties,
  QueueOptions,
} from './types';
export { InProcessBroker } from './in-process';
export { RabbitBroker } from './rabbitmq';
export { measureThroughput, type ThroughputOptions } from './measure';
export { connectBroker, isBrokerReachable, amqpUrl, DEFAULT_AMQP_URL, HOW_TO_START_RABBITMQ } from './connect';
