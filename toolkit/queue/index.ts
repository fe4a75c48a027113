/**
 * queue: an in-process message queue with competing workers, for the lessons on asynchronous
 * messaging and on message queues. Runs in real time or, given a netsim `VirtualClock`, in virtual time.
 *
 * @module
 */
export {
  MessageQueue,
  type QueuedMessage,
  type PublishOptions,
  type Worker,
  type FailedMessage,
  type QueueStats,
  type MessageQueueOptions,
} from './queue';
